"""Destination settings: the API key, the ingest endpoint and the user-id attribute."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reference.errors import InvalidSettingsError

DEFAULT_ENDPOINT = "https://integrations-ingest-svc.usw1.cordial.com"

# Characters the WHATWG URL parser (production's fetch) refuses in a host.
_FORBIDDEN_HOST_CHARACTERS = frozenset("\x00\t\n\r #/:<>?@[\\]^|%")


def _check_endpoint(endpoint: Any) -> str:
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSettingsError("endpoint must be a non-empty http(s) URL", "endpoint")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
    except ValueError as exc:
        raise InvalidSettingsError(f"endpoint {endpoint!r} is not a valid URL: {exc}", "endpoint") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidSettingsError(
            f"endpoint {endpoint!r} must be an http:// or https:// URL with a host", "endpoint"
        )
    if "[" not in parts.netloc:
        bad = sorted({ch for ch in host if ch in _FORBIDDEN_HOST_CHARACTERS or ord(ch) < 0x20})
        if bad:
            raise InvalidSettingsError(
                f"endpoint {endpoint!r} has characters no host may contain: {bad}", "endpoint"
            )
    return endpoint


@dataclass(frozen=True)
class Settings:
    """What a user configures on the destination.

    The endpoint is kept exactly as given: production builds URLs by plain
    string concatenation, so a trailing slash yields ``//api/...``.
    """

    api_key: str
    endpoint: str = DEFAULT_ENDPOINT
    segment_id_key: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.api_key, str) or not self.api_key:
            raise InvalidSettingsError("apiKey is required: the Cordial API key sent as x-api-key", "apiKey")
        _check_endpoint(self.endpoint)
        if self.segment_id_key is not None and not isinstance(self.segment_id_key, str):
            raise InvalidSettingsError("segmentIdKey must be a string", "segmentIdKey")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Settings:
        """Build from production's setting names (``apiKey``, ``endpoint``, ``segmentIdKey``)."""
        if not isinstance(data, Mapping):
            raise InvalidSettingsError("settings must be a JSON object")
        unknown = sorted(set(data) - {"apiKey", "endpoint", "segmentIdKey"})
        if unknown:
            raise InvalidSettingsError(f"unknown setting(s): {', '.join(unknown)}", unknown[0])
        endpoint = data.get("endpoint")
        return cls(
            api_key=data.get("apiKey"),  # type: ignore[arg-type]
            endpoint=DEFAULT_ENDPOINT if endpoint is None else endpoint,
            segment_id_key=data.get("segmentIdKey"),
        )

    def to_json(self, *, show_secrets: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"apiKey": self.api_key if show_secrets else "***", "endpoint": self.endpoint}
        if self.segment_id_key is not None:
            out["segmentIdKey"] = self.segment_id_key
        return out

    @property
    def body_keys(self) -> dict[str, Any]:
        """Keys every body starts with; an unset segmentIdKey is not sent at all."""
        return {} if self.segment_id_key is None else {"segmentIdKey": self.segment_id_key}
