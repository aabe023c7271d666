"""Whole-value operations of the mapping kit, with JavaScript object semantics.

``Object.assign`` (``@merge``), ``flattenObject`` (``@flatten``),
``cleanNulls`` (``@excludeWhenNull``), ``JSON.stringify``/``JSON.parse``
(``@json``) and ``removeUndefined`` (the last step of every transform).
Objects built here follow JavaScript's key order (integer-like keys first) and
its ``__proto__`` rule: assigning that key sets a prototype instead of
creating a property, so it never appears in the result.
"""

from __future__ import annotations

import json
from typing import Any

from reference.js_json import UNDEFINED, dumps, js_ordered
from reference.js_values import utf16_units

__all__ = ["assign", "flatten", "clean_nulls", "remove_undefined", "json_stringify", "json_parse"]

_PROTO = "__proto__"


def assign(sources: list[Any]) -> dict:
    """``Object.assign({}, ...sources)``: strings and arrays contribute their indexes."""
    target: dict = {}
    for source in sources:
        if isinstance(source, dict):
            for key, value in source.items():
                if key != _PROTO:
                    target[key] = value
        elif isinstance(source, list):
            for index, value in enumerate(source):
                target[str(index)] = value
        elif isinstance(source, str):
            for index, unit in enumerate(utf16_units(source)):
                target[str(index)] = unit
    return js_ordered(target)


def flatten(value: Any, separator: str, omit_arrays: bool) -> dict:
    """Nested keys joined by ``separator``; a leaf at the top is stored under ``""``."""
    out: dict = {}
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        prefix, item = stack.pop()
        if isinstance(item, dict):
            entries = list(item.items())
        elif isinstance(item, list) and not omit_arrays:
            entries = [(str(index), element) for index, element in enumerate(item)]
        else:
            out[prefix] = item
            continue
        for key, element in reversed(entries):
            stack.append((f"{prefix}{separator}{key}" if prefix else key, element))
    return js_ordered(out)


def clean_nulls(value: Any) -> Any:
    """Object keys holding ``null`` become ``undefined``, through nested objects (not arrays)."""
    if not isinstance(value, dict):
        return value
    cleaned: dict = {}
    for key, item in value.items():
        if key == _PROTO:
            continue
        if item is None:
            cleaned[key] = UNDEFINED
        elif isinstance(item, dict):
            cleaned[key] = clean_nulls(item)
        else:
            cleaned[key] = item
    return cleaned


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def _cleaned_object(obj: dict) -> dict:
    out = dict(obj)
    for key, item in obj.items():
        if type(item) in _SCALAR_TYPES:
            continue
        if item is UNDEFINED:
            del out[key]
        elif isinstance(item, (dict, list)):
            out[key] = remove_undefined(item)
    out.pop(_PROTO, None)
    return out


def remove_undefined(value: Any) -> Any:
    """A copy without ``undefined`` object keys; arrays keep their ``undefined`` items."""
    if isinstance(value, dict):
        return _cleaned_object(value)
    if isinstance(value, list):
        return [item if type(item) in _SCALAR_TYPES else remove_undefined(item) for item in value]
    return value


def _json_value(value: Any) -> Any:
    """What ``JSON.stringify`` sees: undefined keys skipped, undefined items written as null."""
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items() if item is not UNDEFINED}
    if isinstance(value, list):
        return [None if item is UNDEFINED else _json_value(item) for item in value]
    return value


def json_stringify(value: Any) -> Any:
    """``JSON.stringify(value)``; ``undefined`` stays ``undefined`` (it is not a string)."""
    if value is UNDEFINED:
        return UNDEFINED
    return dumps(_json_value(value))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_int(text: str) -> int | float:
    if text == "-0":
        return -0.0
    number = int(text)
    return number if -(2**53) <= number <= 2**53 else float(number)


def _js_object(pairs: list[tuple[str, Any]]) -> dict:
    return js_ordered(dict(pairs))


def json_parse(text: str) -> Any:
    """``JSON.parse(text)`` with JavaScript numbers and key order; raises ValueError when invalid."""
    try:
        return json.loads(
            text, parse_constant=_reject_constant, parse_int=_parse_int, object_pairs_hook=_js_object
        )
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error
