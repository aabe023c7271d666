"""The HTTP request production would send, built without sending it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reference import js_json
from reference.settings import Settings

USER_AGENT = "Segment (Actions)"


def request_headers(settings: Settings, *, with_body: bool) -> dict[str, str]:
    """Production's headers: Accept and x-api-key always, Content-Type for JSON bodies."""
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT, "x-api-key": str(settings.api_key)}
    if with_body:
        headers["Content-Type"] = "application/json"
    return headers


@dataclass(frozen=True)
class PreparedRequest:
    """Method, URL, headers and JSON body of one request; ``content`` is the exact body bytes."""

    method: str
    url: str
    headers: dict[str, str]
    json: Any = None
    action: str | None = field(default=None, compare=False)

    @cached_property
    def content(self) -> bytes:
        return b"" if self.json is None else js_json.dumps_bytes(self.json)

    def to_json(self, *, show_secrets: bool = False) -> dict[str, Any]:
        headers = dict(self.headers)
        if not show_secrets and "x-api-key" in headers:
            headers["x-api-key"] = "***"
        out: dict[str, Any] = {"method": self.method, "url": self.url, "headers": headers}
        if self.json is not None:
            out["json"] = self.json
        return out


def action_request(settings: Settings, action: str, body: dict[str, Any]) -> PreparedRequest:
    """POST {endpoint}/api/segment/{action}: the URL is plain concatenation, as in production."""
    return PreparedRequest(
        method="POST",
        url=f"{settings.endpoint}/api/segment/{action}",
        headers=request_headers(settings, with_body=True),
        json=body,
        action=action,
    )


def check_auth_request(settings: Settings) -> PreparedRequest:
    """GET {endpoint}/api/checkAuth, the authentication test."""
    headers = request_headers(settings, with_body=False)
    headers["Content-Type"] = "application/json"  # production sets it here even without a body
    return PreparedRequest(method="GET", url=f"{settings.endpoint}/api/checkAuth", headers=headers)
