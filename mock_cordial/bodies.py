"""Reading request bodies: which content types are JSON, and parsing JSON safely.

The parser follows ``JSON.parse`` (no ``NaN``/``Infinity``, numbers are
doubles) and refuses what the state could not store or send back: numbers
too large for a double, unpaired UTF-16 surrogates and absurd nesting.
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


def parse_json(raw: bytes) -> Any:
    """The JSON value of a UTF-8 body; raises :class:`BadJson` with the reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJson(f"the body is not UTF-8 (byte {exc.start})") from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth_exceeds(text, MAX_DEPTH):
        raise BadJson(f"the body nests arrays and objects deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(
            text, parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int
        )
    except BadJson:
        raise
    except (ValueError, RecursionError, OverflowError) as exc:
        raise BadJson(f"the body is not valid JSON: {exc}"[:300]) from None
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(value):
        raise BadJson("the body contains an unpaired UTF-16 surrogate escape")
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


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
