"""Idempotency keys: the same event sent to the same subscription always carries the same key.

A receiver that honours ``Idempotency-Key`` (the mock does) applies a request
once however many times a retry or a resumed run sends it again.  The key is
``<messageId>:<target>``; an event without a usable messageId gets a key from
its line number and a hash of the line, which is stable across runs over the
same file.  Keys that would not fit in a header (non-ASCII, too long) are
replaced by their SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
_HEADER_SAFE = frozenset(chr(code) for code in range(0x21, 0x7F))


def target_names(subscriptions: Sequence[tuple[str, str]]) -> list[str]:
    """The key suffix of each ``(name, action)``: the action, unless several subscriptions share it.

    Then the subscription's name; and when names collide too, the name with
    its position, so no two subscriptions ever share keys.
    """
    actions = [action for _, action in subscriptions]
    names = [name for name, _ in subscriptions]
    out = []
    for index, (name, action) in enumerate(subscriptions):
        if actions.count(action) == 1:
            out.append(action)
        elif names.count(name) == 1:
            out.append(name)
        else:
            out.append(f"{name}#{index}")
    return out


def event_base(event: Mapping[str, Any], line_number: int, data: bytes) -> str:
    """The part of the key that names the event: its messageId, else its line and content."""
    message_id = event.get("messageId")
    if isinstance(message_id, str) and message_id:
        return message_id
    return f"line{line_number}-{hashlib.sha256(data).hexdigest()[:16]}"


def idempotency_key(base: str, target: str) -> str:
    """``<base>:<target>``, or ``sha256:<hex>`` of it when it is not a short printable ASCII token."""
    key = f"{base}:{target}"
    if len(key) <= MAX_LENGTH and _HEADER_SAFE.issuperset(key):
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
