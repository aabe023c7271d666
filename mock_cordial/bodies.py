"""Reading request bodies: which content types are JSON, and parsing JSON safely.

The parser follows ``JSON.parse`` (no ``NaN``/``Infinity``, numbers are
doubles) and refuses what the state could not store or send back: numbers
too large for a double and absurd nesting.

An unpaired UTF-16 surrogate escape (``"\\ud83d"``) is valid JSON, and
JavaScript's ``JSON.stringify`` writes one for a string cut in the middle of
an emoji, so production can send it. It is accepted and kept as U+FFFD, the
replacement character, which is what any UTF-8 store (and Node's own UTF-8
encoder) makes of it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["BadJson", "MAX_DEPTH", "is_json_media_type", "parse_json"]

#: Deepest nesting of arrays and objects a body may have.
MAX_DEPTH = 64

_MAX_SAFE = 2**53
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class BadJson(ValueError):
    """The body is not JSON the mock can accept; the message says why."""


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json``, with or without parameters such as ``charset``."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def _reject_constant(name: str) -> Any:
    raise BadJson(f"{name} is not a JSON value")


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJson(f"the number {text[:40]} is too large")
    return value


def _parse_int(text: str) -> int | float:
    if len(text) > 400:
        raise BadJson(f"the number {text[:40]}... is too large")
    value = int(text)
    if -_MAX_SAFE <= value <= _MAX_SAFE:
        return value
    as_float = float(value)  # JSON.parse keeps a double, so digits past 2**53 round
    if not math.isfinite(as_float):
        raise BadJson(f"the number {text[:40]} is too large")
    return as_float


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int)


def parse_json(raw: bytes) -> Any:
    """The JSON value of a UTF-8 body; raises :class:`BadJson` with the reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJson(f"the body is not UTF-8 (byte {exc.start})") from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth_exceeds(text, MAX_DEPTH):
        raise BadJson(f"the body nests arrays and objects deeper than {MAX_DEPTH} levels")
    try:
        value = _DECODER.decode(text)
    except BadJson:
        raise
    except (ValueError, RecursionError, OverflowError) as exc:
        raise BadJson(f"the body is not valid JSON: {exc}"[:300]) from None
    if _SURROGATE_ESCAPE.search(raw):
        return _without_lone_surrogates(value)
    return value


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (a scan, no parsing)."""
    depth = 0
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """The value with every unpaired surrogate (in keys too) replaced by U+FFFD.

    ``json.loads`` already joins an escaped pair into one character, so every
    surrogate left in a parsed string is unpaired.
    """
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value
