"""Error answers as ``application/problem+json`` (RFC 9457) carrying Cordial's own members.

Every error the mock gives has ``type``, ``title``, ``status`` and ``detail``,
plus the members a Cordial client reads: ``error`` (``true``, or the ingest
service's authentication message), ``errorKey`` and ``message``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_JSON", "AUTH_FAILURE", "Problem", "problem_type"]

PROBLEM_JSON = "application/problem+json"

#: What Cordial's ingest service answers a missing or wrong API key with.
AUTH_FAILURE = "Access Denied: Authentication Failure"

_TYPE_BASE = "https://cordial-harness.invalid/problems/"


def problem_type(slug: str) -> str:
    """The ``type`` URI of a kind of problem (stable, so clients can switch on it)."""
    return _TYPE_BASE + slug


@dataclass
class Problem:
    """One error answer; ``extra`` members (``violations``, ``allowed``...) are added as they are."""

    status: int
    slug: str
    detail: str
    error_key: str = "GENERIC_ERROR_KEY"
    error: Any = True
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": problem_type(self.slug),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "error": self.error,
            "errorKey": self.error_key,
            "message": self.detail,
        }
        body.update(self.extra)
        return body

    def body_bytes(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":")).encode("utf-8")
