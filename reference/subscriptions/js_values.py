"""JavaScript's view of JSON values: conversions, truthiness and property access.

Production's evaluator is plain JavaScript over the parsed event, so a
subscription sees what JavaScript sees: ``String(2.50)`` is ``"2.5"``,
``Number(" 0x1F ")`` is 31, a string has a ``length`` counted in UTF-16 code
units and characters at ``"0"``, ``"1"``..., and every value inherits its
prototype's properties (see :mod:`reference.subscriptions.js_builtins`).

``undefined`` and ``null`` are both ``None`` here: nothing in a subscription
can tell them apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from reference.js_json import number_to_string
from reference.subscriptions.js_builtins import (
    ARRAY_PROTOTYPE,
    BOOLEAN_PROTOTYPE,
    NUMBER_PROTOTYPE,
    OBJECT_PROTOTYPE,
    PROTOTYPE_GETTER,
    RESTRICTED_PROPERTY,
    STRING_PROTOTYPE,
    JsObject,
)
from reference.subscriptions.utf16 import to_units, unit_length

__all__ = [
    "RestrictedPropertyError",
    "js_string",
    "js_number",
    "string_to_number",
    "number_value",
    "is_falsy",
    "get_property",
]

_MAX_SAFE = 2**53
_ABSENT = object()
# StrWhiteSpaceChar: WhiteSpace and LineTerminator, which Number() trims.
_JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Infinity)")
_PREFIXED = re.compile(r"0([xXoObB])([0-9a-zA-Z]+)")
_RADIX = {"x": 16, "o": 8, "b": 2}


class RestrictedPropertyError(Exception):
    """Reading ``caller`` or ``arguments`` of a built-in function, which throws in JavaScript."""


def _int_to_double(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def string_to_number(text: str) -> float:
    """``Number(text)``: trimmed decimal, ``0x``/``0o``/``0b`` literals, ``Infinity``; ``""`` is 0."""
    stripped = text.strip(_JS_SPACE)
    if not stripped:
        return 0.0
    if _DECIMAL.fullmatch(stripped):
        if stripped.endswith("Infinity"):
            return -math.inf if stripped[0] == "-" else math.inf
        return float(stripped)
    prefixed = _PREFIXED.fullmatch(stripped)
    if prefixed:
        try:
            return _int_to_double(int(prefixed.group(2), _RADIX[prefixed.group(1).lower()]))
        except ValueError:
            return math.nan
    return math.nan


def js_number(value: str | float | bool) -> float:
    """``Number(value)`` for the values a parsed subscription holds."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, str):
        return string_to_number(value)
    return value if isinstance(value, float) else _int_to_double(value)


def js_string(value: str | float | bool) -> str:
    """``String(value)`` for the values a parsed subscription holds."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return number_to_string(value)


def number_value(value: Any) -> float | int | None:
    """The double a JavaScript number holds, or ``None`` when ``value`` is not a number."""
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return value if -_MAX_SAFE <= value <= _MAX_SAFE else _int_to_double(value)
    if kind is bool or not isinstance(value, (int, float)):
        return None
    return number_value(int(value) if isinstance(value, int) else float(value))


def is_falsy(value: Any) -> bool:
    """JavaScript falsiness: ``undefined``, ``null``, ``false``, ``0``, ``NaN`` and ``""``."""
    if value is None or value is False:
        return True
    kind = type(value)
    if kind is str:
        return not value
    if kind is int:
        return value == 0
    if kind is float:
        return value == 0.0 or value != value
    return False


def _array_index(key: str, length: int) -> int | None:
    """The index ``key`` names when it is a canonical array index below ``length``."""
    if not key.isascii() or not key.isdigit() or (len(key) > 1 and key[0] == "0"):
        return None
    index = int(key)
    return index if index < length else None


def _prototype_of(value: Any) -> JsObject | None:
    if isinstance(value, JsObject):
        return value.proto
    if isinstance(value, str):
        return STRING_PROTOTYPE
    if isinstance(value, bool):
        return BOOLEAN_PROTOTYPE
    if isinstance(value, (int, float)):
        return NUMBER_PROTOTYPE
    if isinstance(value, (list, tuple)):
        return ARRAY_PROTOTYPE
    return OBJECT_PROTOTYPE


def _inherited(start: JsObject | None, key: str, receiver: Any) -> Any:
    holder = start
    while holder is not None:
        found = holder.own.get(key, _ABSENT)
        if found is not _ABSENT:
            if found is PROTOTYPE_GETTER:
                return _prototype_of(receiver)
            if found is RESTRICTED_PROPERTY:
                raise RestrictedPropertyError(key)
            return found
        holder = holder.proto
    return None


def get_property(value: Any, key: str) -> Any:
    """``value[key]`` in JavaScript, for a truthy JSON value or built-in object."""
    if isinstance(value, Mapping):
        found = value.get(key, _ABSENT)
        return _inherited(OBJECT_PROTOTYPE, key, value) if found is _ABSENT else found
    if isinstance(value, str):
        if key == "length":
            return unit_length(value)
        units = to_units(value)
        index = _array_index(key, len(units))
        return units[index] if index is not None else _inherited(STRING_PROTOTYPE, key, value)
    if isinstance(value, (list, tuple)):
        if key == "length":
            return len(value)
        index = _array_index(key, len(value))
        return value[index] if index is not None else _inherited(ARRAY_PROTOTYPE, key, value)
    if isinstance(value, JsObject):
        return _inherited(value, key, value)
    return _inherited(_prototype_of(value), key, value)
