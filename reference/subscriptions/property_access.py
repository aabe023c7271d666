"""JavaScript property access on event values, as production's subscription evaluator reads paths.

``value[key]`` in JavaScript: a string has a ``length`` counted in UTF-16
code units and characters at ``"0"``, ``"1"``..., an array has ``length``
and its indexes, and every value inherits its prototype's properties (see
:mod:`reference.subscriptions.js_builtins`).  ``undefined`` and ``null`` are
both ``None`` here: nothing in a subscription can tell them apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.js_json import is_array_index
from reference.js_values import int_to_double, utf16_length, utf16_units
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

__all__ = ["RestrictedPropertyError", "get_property", "number_value"]

_MAX_SAFE = 2**53
_ABSENT = object()


class RestrictedPropertyError(Exception):
    """Reading ``caller`` or ``arguments`` of a built-in function, which throws in JavaScript."""


def number_value(value: Any) -> float | int | None:
    """The double a JavaScript number holds, or ``None`` when ``value`` is not a number."""
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return value if -_MAX_SAFE <= value <= _MAX_SAFE else int_to_double(value)
    if kind is bool or not isinstance(value, (int, float)):
        return None
    return number_value(int(value) if isinstance(value, int) else float(value))


def _array_index(key: str, length: int) -> int | None:
    """The index ``key`` names when it is a canonical array index below ``length``."""
    if not is_array_index(key):
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
            return utf16_length(value)
        units = utf16_units(value)
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
