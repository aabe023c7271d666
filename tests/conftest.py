"""Test-wide settings: Hypothesis profiles and the location of the shared facts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Small by default so CI stays fast; `pytest --hypothesis-profile=thorough` goes deeper.
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """`../shared` beside the checkout (or $CORDIAL_SHARED), when it exists."""
    candidate = Path(os.environ.get("CORDIAL_SHARED", REPO_ROOT.parent / "shared"))
    return candidate if (candidate / "SPEC.md").exists() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is not present")
    return path


@pytest.fixture(scope="session")
def production_metadata(shared: Path) -> dict:
    import json

    return json.loads((shared / "reference-data" / "segment-cordial-actions.metadata.json").read_text())


@pytest.fixture(scope="session")
def rest_v2_swagger(shared: Path) -> dict:
    import json

    return json.loads((shared / "reference-data" / "cordial-rest-v2.swagger.json").read_text())
