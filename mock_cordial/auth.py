"""API keys: where each surface carries one and which keys the mock accepts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

__all__ = ["KeyRing", "key_from_ingest", "key_from_basic"]


def key_from_ingest(header_value: str | None) -> str | None:
    """The ingest service's ``x-api-key`` header value (None when absent or blank)."""
    if header_value is None or not header_value.strip():
        return None
    return header_value


def key_from_basic(authorization: str | None) -> str | None:
    """The user name of HTTP Basic credentials, which is the API key (the password is not used)."""
    if not authorization:
        return None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    user, _, _ = decoded.partition(":")
    return user if user.strip() else None


class KeyRing:
    """The API keys the mock accepts: the configured ones, or any non-empty key when none are."""

    def __init__(self, keys: Iterable[str] | None = None) -> None:
        self.keys = frozenset(keys) if keys else None

    def accepts(self, key: str | None) -> bool:
        if key is None:
            return False
        return self.keys is None or key in self.keys
