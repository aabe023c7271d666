"""Shared helpers for the mock's tests: production's requests and quick accessors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mock_cordial.pytest_plugin import CordialMock

DATA = Path(__file__).parent / "data"

#: Headers production's destination sends with every ingest request (besides content-type).
PRODUCTION_HEADERS = {"accept": "application/json", "user-agent": "Segment (Actions)"}


def production_requests() -> dict[str, dict[str, Any]]:
    """Requests the production destination sends (recorded from the oracle), by case name."""
    data = json.loads((DATA / "production_requests.json").read_text())
    data.pop("_about")
    return data


@pytest.fixture(scope="session")
def production() -> dict[str, dict[str, Any]]:
    return production_requests()


def send_production(mock: CordialMock, case: dict[str, Any], api_key: str | None = None):
    """Replay one recorded production request byte for byte."""
    headers = {
        **PRODUCTION_HEADERS,
        "x-api-key": api_key or mock.api_key,
        "content-type": "application/json",
    }
    return mock.client.post(case["url"], content=case["body"].encode(), headers=headers)


def contact(mock: CordialMock, key: str) -> dict[str, Any]:
    """``GET /v2/contacts/{key}``, which must succeed."""
    answer = mock.rest.get(f"/contacts/{key}")
    assert answer.status_code == 200, answer.text
    return answer.json()
