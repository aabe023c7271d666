"""How production's Liquid engine (liquidjs) reads, compares and prints values.

liquidjs reads only *own* properties (``ownPropertyOnly``), answers ``size``,
``first`` and ``last`` specially, prints arrays by concatenating their items
and everything else with JavaScript's ``String``, and compares with ``===``
(arrays item by item; ``nil``, ``empty`` and ``blank`` by their own rules).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reference.js_json import UNDEFINED, dumps
from reference.js_values import join_utf16, js_trim, own_property, to_js_string, utf16_length

__all__ = [
    "NIL",
    "EMPTY",
    "BLANK",
    "liquid_string",
    "liquid_truthy",
    "liquid_equals",
    "read_property",
    "read_path",
    "json_stringify_charged",
]


class _Special:
    """liquidjs's comparable literals: ``nil``, ``empty`` and ``blank``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __liquid__(self) -> object:
        """Truthiness for python-liquid's conditions: ``nil`` is falsy, ``empty``/``blank`` truthy."""
        return None if self.name == "nil" else ""


NIL: Any = _Special("nil")
EMPTY: Any = _Special("empty")
BLANK: Any = _Special("blank")


def _is_nil(value: Any) -> bool:
    return value is None or value is UNDEFINED or value is NIL


def liquid_string(value: Any) -> str:
    """liquidjs's ``stringify``: nil is empty, arrays concatenate their items."""
    if isinstance(value, str):
        return value
    if _is_nil(value):
        return ""
    if isinstance(value, list):
        return join_utf16("".join(liquid_string(item) for item in value))
    if value is EMPTY or value is BLANK:
        return ""
    return to_js_string(value)


def liquid_truthy(value: Any) -> bool:
    """Only ``false``, ``nil`` and undefined are falsy in Liquid (``0`` and ``""`` are truthy)."""
    return not (value is False or _is_nil(value))


def _empty_equals(value: Any) -> bool:
    if value is EMPTY:
        return False
    if isinstance(value, (str, list)):
        return len(value) == 0
    if isinstance(value, dict):
        return len(value) == 0
    return False


def _blank_equals(value: Any) -> bool:
    if value is False or _is_nil(value):
        return True
    if isinstance(value, str):
        return js_trim(value) == ""
    return _empty_equals(value)


def liquid_equals(left: Any, right: Any) -> bool:
    """liquidjs's ``==``."""
    for special, other in ((left, right), (right, left)):
        if special is NIL:
            return _is_nil(other)
        if special is EMPTY:
            return _empty_equals(other)
        if special is BLANK:
            return _blank_equals(other)
    if isinstance(left, list):
        return (
            isinstance(right, list)
            and len(left) == len(right)
            and all(liquid_equals(a, b) for a, b in zip(left, right, strict=True))
        )
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if left is None or left is UNDEFINED:
        return left is right
    return left is right


def _array_element(items: list, index: float) -> Any:
    if index < 0:
        index += len(items)
    if index != index or not float(index).is_integer() or not 0 <= index < len(items):
        return UNDEFINED
    return items[int(index)]


def read_property(value: Any, key: Any) -> Any:
    """liquidjs's ``readProperty`` with ``ownPropertyOnly``."""
    if _is_nil(value):
        return value
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool):
        return _array_element(value, key)
    found = own_property(value, to_js_string(key))
    if key == "size":
        if isinstance(value, dict) and "size" in value:
            return value["size"]
        if isinstance(value, list):
            return len(value)
        if isinstance(value, str):
            return utf16_length(value)
        if isinstance(value, dict):
            return len(value)
        return UNDEFINED
    if key == "first":
        return _array_element(value, 0) if isinstance(value, list) else found
    if key == "last":
        return _array_element(value, -1) if isinstance(value, list) else found
    return found


def read_path(value: Any, keys: Sequence[Any]) -> Any:
    for key in keys:
        value = read_property(value, key)
    return value


def _gap(space: Any) -> str:
    if isinstance(space, bool):
        return ""
    if isinstance(space, (int, float)):
        count = min(10, int(space)) if math.isfinite(space) else (10 if space > 0 else 0)
        return " " * max(count, 0)
    if isinstance(space, str):
        return space[:10]
    return ""


def json_stringify_charged(value: Any, space: Any, use: Callable[[float], None]) -> Any:
    """``JSON.stringify(value, replacer, space)`` charging liquidjs's memory budget per value."""
    gap = _gap(space)

    def charge(item: Any) -> None:
        if isinstance(item, str):
            use(utf16_length(item))
        elif item is None or isinstance(item, (bool, int, float)):
            use(len(_scalar(item)))
        elif isinstance(item, list):
            use(len(item) + 1)
        elif isinstance(item, dict):
            use(2)

    def encode(item: Any, indent: str) -> str | None:
        charge(item)
        if item is UNDEFINED or item is NIL:
            return None if item is UNDEFINED else "null"
        if isinstance(item, dict):
            inner = indent + gap
            parts = []
            for key, element in item.items():
                text = encode(element, inner)
                if text is not None:
                    parts.append(f"{dumps(key)}:{' ' if gap else ''}{text}")
            return _wrap("{", "}", parts, indent, inner, gap)
        if isinstance(item, list):
            inner = indent + gap
            parts = [encode(element, inner) or "null" for element in item]
            return _wrap("[", "]", parts, indent, inner, gap)
        if item is EMPTY or item is BLANK:
            return "{}"
        return _scalar(item)

    return UNDEFINED if value is UNDEFINED else encode(value, "")


def _wrap(opening: str, closing: str, parts: list[str], indent: str, inner: str, gap: str) -> str:
    if not parts:
        return opening + closing
    if not gap:
        return opening + ",".join(parts) + closing
    return f"{opening}\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}{closing}"


def _scalar(item: Any) -> str:
    if isinstance(item, float) and not math.isfinite(item):
        return "null"
    return dumps(item)
