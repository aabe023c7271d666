"""AJV's type tests and its ``coerceTypes: "array"`` conversion table.

A value that matches none of the schema's types is first unwrapped when it is
an array of exactly one item, then offered to each coercible type in the
schema's order.  AJV's quirks are part of the table: for a union of types the
unwrapped item is tested against *all* types at once (so ``["2020-01-01"]``
is never accepted as is by a ``datetime``), ``"Infinity"`` and ``" "`` are
numbers, and ``"2.5"`` is not an integer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reference.js_json import is_number
from reference.js_values import (
    is_finite_number,
    string_to_number,
    to_js_string,
    to_number_value,
    truthy,
    typeof,
)

__all__ = ["NOT_COERCED", "JSON_TYPES", "Coercer", "coercers_for", "type_test"]

JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "null", "array", "object"})
_COERCIBLE = ("string", "number", "integer", "boolean", "null", "array")


class _NotCoerced:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_COERCED"


NOT_COERCED: Any = _NotCoerced()

Coercer = Callable[[Any], Any]


def _is_integer(value: Any) -> bool:
    return is_finite_number(value) and (isinstance(value, int) or value.is_integer())


_MATCHES: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "number": is_finite_number,
    "integer": _is_integer,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}


def type_test(types: Sequence[str], matching: bool) -> Callable[[Any], bool]:
    """AJV's ``checkDataTypes``: ``matching=False`` is "matches none of the types".

    With ``matching=True`` and several types AJV requires *every* type to
    match, which is what it uses when deciding whether an unwrapped item fits.
    """
    if len(types) == 1:
        match = _MATCHES[types[0]]
        return match if matching else (lambda value: not match(value))
    remaining = list(dict.fromkeys(types))
    tests: list[Callable[[Any], bool]] = []
    if "array" in remaining and "object" in remaining:
        if "null" in remaining:
            tests.append(lambda value: typeof(value) != "object")
        else:
            tests.append(lambda value: not truthy(value) or typeof(value) != "object")
        remaining = [t for t in remaining if t not in ("null", "array", "object")]
    if "number" in remaining and "integer" in remaining:
        remaining.remove("integer")
    for name in remaining:
        match = _MATCHES[name]
        tests.append(match if matching else (lambda value, match=match: not match(value)))
    return lambda value: all(test(value) for test in tests)


def _to_string(value: Any) -> Any:
    if isinstance(value, (bool, int, float)):
        return to_js_string(value)
    if value is None:
        return ""
    return NOT_COERCED


def _numeric_string(value: Any) -> float | None:
    """``+value`` for a non-empty string whose ``value == +value`` holds."""
    if isinstance(value, str) and value:
        number = string_to_number(value)
        if number == number:
            return number
    return None


def _to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return 0
    number = _numeric_string(value)
    return NOT_COERCED if number is None else to_number_value(number)


def _to_integer(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return 0
    number = _numeric_string(value)
    # ``!(value % 1)``: Infinity % 1 is NaN, so "Infinity" passes as an integer.
    if number is None or (math.isfinite(number) and not number.is_integer()):
        return NOT_COERCED
    return to_number_value(number)


def _to_boolean(value: Any) -> Any:
    if value is None or value == "false" or (is_number(value) and value == 0):
        return False
    if value == "true" or (is_number(value) and value == 1):
        return True
    return NOT_COERCED


def _to_null(value: Any) -> Any:
    if value is False or value == "" or (is_number(value) and value == 0):
        return None
    return NOT_COERCED


def _to_array(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return [value]
    return NOT_COERCED


_COERCERS: dict[str, Coercer] = {
    "string": _to_string,
    "number": _to_number,
    "integer": _to_integer,
    "boolean": _to_boolean,
    "null": _to_null,
    "array": _to_array,
}


def coercers_for(types: Sequence[str]) -> list[Coercer]:
    """The conversions AJV tries, in the schema's type order."""
    return [_COERCERS[name] for name in types if name in _COERCIBLE]
