"""The JavaScript value semantics the mapping kit depends on.

Production resolves mappings with plain JavaScript operations: truthiness
tests, ``String(value)``, loose equality with ``''``, property reads that work
on strings and arrays, and objects whose integer-like keys always come first.
These helpers reproduce those operations on the Python JSON value model
(dict, list, str, int, float, bool, None) plus :data:`UNDEFINED`.
"""

from __future__ import annotations

import re
from typing import Any

from reference.js_json import UNDEFINED, is_array_index, js_ordered, number_to_string

__all__ = [
    "UNDEFINED",
    "type_of",
    "typeof_operator",
    "truthy",
    "to_js_string",
    "number_text",
    "to_number",
    "loosely_equals_empty_string",
    "is_array_index",
    "js_ordered",
    "utf16_length",
    "utf16_units",
    "join_utf16",
    "js_trim",
    "JS_WHITESPACE",
]



#: The characters JavaScript's ``trim`` and ``\s`` treat as white space.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_RADIX_LITERAL = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)\Z")


def type_of(value: Any) -> str:
    """Production's ``realTypeOf``: ``undefined``, ``null``, ``array``, ``object``..."""
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def typeof_operator(value: Any) -> str:
    """JavaScript's ``typeof``: like :func:`type_of` but ``null`` and arrays are ``object``."""
    name = type_of(value)
    return "object" if name in ("null", "array") else name


def truthy(value: Any) -> bool:
    """JavaScript truthiness: ``""``, ``0``, ``NaN``, ``null``, ``undefined``, ``false`` are falsy."""
    if value is None or value is UNDEFINED or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, str):
        return value != ""
    if isinstance(value, (int, float)):
        return value == value and value != 0
    return True


def to_js_string(value: Any) -> str:
    """``String(value)`` for JSON values (arrays join with commas, objects are ``[object Object]``)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, list):
        return ",".join("" if item is None or item is UNDEFINED else to_js_string(item) for item in value)
    return "[object Object]"


def number_text(value: int | float) -> str:
    """``String(number)``, including ``NaN`` and ``Infinity`` (which JSON cannot hold)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    return number_to_string(value)


def to_number(value: Any) -> float:
    """JavaScript's ``Number(value)`` (``NaN`` when the value is not numeric)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:
        return 0.0
    if isinstance(value, str):
        text = value.strip(JS_WHITESPACE)
        if text == "":
            return 0.0
        if _DECIMAL_LITERAL.match(text):
            return float(text)
        if _RADIX_LITERAL.match(text):
            return float(int(text[2:], {"x": 16, "o": 8, "b": 2}[text[1].lower()]))
        if text in ("Infinity", "+Infinity"):
            return float("inf")
        if text == "-Infinity":
            return float("-inf")
        return float("nan")
    if isinstance(value, list):
        return to_number(to_js_string(value))
    return float("nan")


def loosely_equals_empty_string(value: Any) -> bool:
    """``value == ''`` with JavaScript's loose equality (``0``, ``false`` and ``[]`` equal ``''``)."""
    if isinstance(value, str):
        return value == ""
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, list):
        return to_js_string(value) == ""
    return False


def utf16_length(text: str) -> int:
    """``text.length``: JavaScript counts UTF-16 code units, so astral characters count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ch > "\uffff")


def utf16_units(text: str) -> str:
    """The string as UTF-16 code units (astral characters become surrogate pairs)."""
    if text.isascii() or not any(ch > "\uffff" for ch in text):
        return text
    return "".join(
        ch if ch <= "\uffff" else chr(0xD800 + ((ord(ch) - 0x10000) >> 10)) + chr(0xDC00 + (ord(ch) & 0x3FF))
        for ch in text
    )


def join_utf16(text: str) -> str:
    """Recombine surrogate pairs, so a string built from code units compares and encodes as JS does."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def js_trim(text: str) -> str:
    """``String.prototype.trim``: JavaScript's whitespace set, not Python's."""
    return text.strip(JS_WHITESPACE)
