"""JavaScript's operations on values, for every part of the reference.

Production's mapping kit, AJV validation and subscription evaluator are plain
JavaScript over parsed JSON, so they convert and test values with
JavaScript's rules: ``Number(" 0x1F ")`` is 31, ``String(2.0)`` is ``"2"``,
``typeof null`` is ``"object"``, ``0`` and ``NaN`` are falsy, strings are
trimmed of JavaScript's white space (not Python's) and measured in UTF-16
code units.  These helpers give those answers on the Python JSON value model
(dict, list, str, int, float, bool, None) plus :data:`~reference.js_json.UNDEFINED`.
The JSON type names (``realTypeOf``) live in :func:`reference.js_json.type_name`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from reference.js_json import UNDEFINED, is_array_index, number_to_string, type_name

__all__ = [
    "JS_WHITESPACE",
    "JS_WHITESPACE_RUN",
    "code_point_offset",
    "int_to_double",
    "is_finite_number",
    "join_utf16",
    "js_trim",
    "loosely_equals_empty_string",
    "needs_utf16_units",
    "number_text",
    "own_property",
    "string_to_number",
    "to_js_string",
    "to_number",
    "to_number_value",
    "truthy",
    "typeof",
    "utf16_length",
    "utf16_units",
]

_MAX_SAFE = 2**53
_INF = math.inf

#: WhiteSpace and LineTerminator: what ``trim``, ``Number()`` and the regex ``\s`` treat as space.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: JavaScript's ``/\s+/``.
JS_WHITESPACE_RUN = re.compile("[" + re.escape(JS_WHITESPACE) + "]+")

# StrDecimalLiteral without the Infinity spellings; written without overlapping
# digit runs so that a failed match stays linear in the length of the text.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX_DIGITS = {
    "x": (16, re.compile(r"[0-9a-fA-F]+")),
    "o": (8, re.compile(r"[0-7]+")),
    "b": (2, re.compile(r"[01]+")),
}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_OR_ASTRAL = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")


def int_to_double(value: int) -> float:
    """The double nearest an integer; beyond the double range JavaScript has Infinity."""
    try:
        return float(value)
    except OverflowError:
        return _INF if value > 0 else -_INF


def string_to_number(text: str) -> float:
    """``Number(text)``: trimmed decimal, ``0x``/``0o``/``0b`` literals, ``Infinity``; ``""`` is 0."""
    body = text.strip(JS_WHITESPACE)
    if not body:
        return 0.0
    if _DECIMAL.fullmatch(body):
        return float(body)
    if body in ("Infinity", "+Infinity"):
        return _INF
    if body == "-Infinity":
        return -_INF
    if len(body) > 2 and body[0] == "0" and body[1] in "xXoObB":
        radix, digits = _RADIX_DIGITS[body[1].lower()]
        if digits.fullmatch(body[2:]):
            return int_to_double(int(body[2:], radix))
    return math.nan


def to_number(value: Any) -> float:
    """``Number(value)`` for JSON values and ``undefined`` (``NaN`` when not numeric)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        return int_to_double(value)
    if isinstance(value, str):
        return string_to_number(value)
    if value is None:
        return 0.0
    if isinstance(value, list):
        return string_to_number(to_js_string(value))
    return math.nan


def to_number_value(value: float) -> int | float:
    """A JavaScript number as the project stores it: integral safe values as ``int``.

    ``js_json.loads`` gives ``int`` for integral literals; keeping computed
    numbers in the same shape lets callers treat parsed and computed values
    alike (the bytes on the wire are identical either way).  ``-0`` stays a float.
    """
    negative_zero = value == 0 and math.copysign(1, value) < 0
    if value.is_integer() and -_MAX_SAFE <= value <= _MAX_SAFE and not negative_zero:
        return int(value)
    return value


def is_finite_number(value: Any) -> bool:
    """``Number.isFinite``: a number other than ±Infinity and NaN (huge Python ints are infinite)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_MAX_SAFE <= value <= _MAX_SAFE or math.isfinite(int_to_double(value))
    return isinstance(value, float) and math.isfinite(value)


def number_text(value: int | float) -> str:
    """``String(number)``, including ``NaN`` and ``Infinity`` (which JSON cannot hold)."""
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return str(value)
        value = int_to_double(value)
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return number_to_string(value)


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


def typeof(value: Any) -> str:
    """JavaScript's ``typeof``: like ``realTypeOf`` but ``null`` and arrays are ``"object"``."""
    name = type_name(value)
    return "object" if name in ("null", "array") else name


def truthy(value: Any) -> bool:
    """JavaScript truthiness: ``""``, ``0``, ``NaN``, ``null``, ``undefined`` and ``false`` are falsy."""
    if value:
        # NaN is the one value Python finds true and JavaScript false.
        return value == value if isinstance(value, float) else True
    # Python finds empty arrays and objects false; to JavaScript every object is true.
    return not (value is None or value is UNDEFINED or isinstance(value, (str, int, float)))


def loosely_equals_empty_string(value: Any) -> bool:
    """``value == ''`` with loose equality (``0``, ``false`` and ``[]`` equal ``''``)."""
    if isinstance(value, str):
        return value == ""
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, list):
        return to_js_string(value) == ""
    return False


def own_property(value: Any, key: str) -> Any:
    """``Object.hasOwn(value, key) ? value[key] : undefined`` for a JSON value.

    Arrays own ``length`` and their indexes; strings own ``length`` and one
    UTF-16 code unit per index; objects own their keys.
    """
    if isinstance(value, dict):
        return value.get(key, UNDEFINED)
    if isinstance(value, list):
        if key == "length":
            return len(value)
        if is_array_index(key):
            index = int(key)
            return value[index] if index < len(value) else UNDEFINED
        return UNDEFINED
    if isinstance(value, str):
        if key == "length":
            return utf16_length(value)
        if is_array_index(key):
            units = utf16_units(value)
            index = int(key)
            return units[index] if index < len(units) else UNDEFINED
    return UNDEFINED


def js_trim(text: str) -> str:
    """``String.prototype.trim``: JavaScript's white space, not Python's."""
    return text.strip(JS_WHITESPACE)


def _surrogate_pair(match: re.Match[str]) -> str:
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def utf16_length(text: str) -> int:
    """``text.length``: UTF-16 code units, so a character outside the BMP (an emoji) counts twice."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


def utf16_units(text: str) -> str:
    """The string as UTF-16 code units, one per Python character (astral ones become surrogate pairs).

    Indexing, slicing and searching the result behaves as it does on a
    JavaScript string; :func:`join_utf16` turns it back.
    """
    if text.isascii():
        return text
    return _ASTRAL.sub(_surrogate_pair, text)


def join_utf16(units: str) -> str:
    """Recombine surrogate pairs into characters; lone surrogates stay as they are."""
    if units.isascii() or not _SURROGATE.search(units):
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def needs_utf16_units(text: str) -> bool:
    """True when the code-point and code-unit views of ``text`` can differ (surrogates or astral)."""
    return not text.isascii() and _SURROGATE_OR_ASTRAL.search(text) is not None


def code_point_offset(units: str, unit_offset: int) -> int:
    """Where code unit ``unit_offset`` of ``units`` falls in the string :func:`join_utf16` makes of them."""
    return len(join_utf16(units[:unit_offset]))
