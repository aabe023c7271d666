"""Reading path, query and header parameters (always strings) as their schema's type.

A string that does not spell its schema's type is left as a string, so the
schema check reports it as a ``type`` violation naming the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["converter_for"]

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")

Converter = Callable[[str], Any]


def _to_integer(text: str) -> Any:
    return int(text) if _INTEGER.match(text) else text


def _to_number(text: str) -> Any:
    if _INTEGER.match(text):
        return int(text)
    if _NUMBER.match(text):
        return float(text)
    return text


def _to_boolean(text: str) -> Any:
    return {"true": True, "false": False}.get(text, text)


def _unchanged(text: str) -> Any:
    return text


_BY_TYPE: dict[str, Converter] = {"integer": _to_integer, "number": _to_number, "boolean": _to_boolean}


def converter_for(schema: Any) -> Converter:
    """How to read one string value of a parameter whose (dereferenced) schema is ``schema``."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    types = [declared] if isinstance(declared, str) else list(declared or [])
    if "string" in types or not types:
        return _unchanged
    for name in ("integer", "number", "boolean"):
        if name in types:
            return _BY_TYPE[name]
    return _unchanged
