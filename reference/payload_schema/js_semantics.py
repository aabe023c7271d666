"""JavaScript's scalar rules that production's validation depends on.

AJV's coercion is written in JavaScript expressions (``"" + x``, ``+x``,
``x == +x``, ``x % 1``); dayjs and the messages use ``typeof`` and
``String.length``.  Python's own conversions differ (``float(" 1_0 ")`` is
10.0, ``str(1e21)`` is ``'1e+21'`` but ``str(2.0)`` is ``'2.0'``), so this
module spells out the JavaScript answers for JSON values.
"""

from __future__ import annotations

import math
import re
from typing import Any

from reference.js_json import dumps, number_to_string

__all__ = [
    "JS_WHITESPACE",
    "NAN",
    "is_finite_number",
    "js_deep_equal",
    "js_typeof",
    "js_value_text",
    "json_pointer_escape",
    "string_to_number",
    "to_js_string",
    "to_number_value",
    "utf16_length",
]

NAN = float("nan")
_INF = float("inf")

#: ``StrWhiteSpaceChar``: what ``Number(string)`` trims (WhiteSpace and LineTerminator).
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

# StrDecimalLiteral; written without overlapping digit runs so that matching stays linear.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX = {
    "x": (16, re.compile(r"[0-9a-fA-F]+")),
    "o": (8, re.compile(r"[0-7]+")),
    "b": (2, re.compile(r"[01]+")),
}
_MAX_SAFE = 2**53


def to_number_value(value: float) -> int | float:
    """A JavaScript number as the project stores it: integral safe values as ``int``.

    ``js_json.loads`` gives ``int`` for integral literals; keeping coerced numbers
    in the same shape lets callers treat parsed and coerced values alike (the
    bytes on the wire are identical either way).
    """
    negative_zero = value == 0 and math.copysign(1, value) < 0
    if value.is_integer() and -_MAX_SAFE <= value <= _MAX_SAFE and not negative_zero:
        return int(value)
    return value


def string_to_number(text: str) -> float:
    """``Number(text)``: the ECMAScript StringToNumber conversion (NaN when not numeric)."""
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
        radix, digits = _RADIX[body[1].lower()]
        if digits.fullmatch(body[2:]):
            return _int_to_float(int(body[2:], radix))
    return NAN


def _int_to_float(value: int) -> float:
    """The double nearest an integer; beyond the double range JavaScript has Infinity."""
    try:
        return float(value)
    except OverflowError:
        return _INF if value > 0 else -_INF


def is_finite_number(value: Any) -> bool:
    """A JSON number other than ±Infinity (Python ints too large for a double count as infinite)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return math.isfinite(_int_to_float(value))
    return isinstance(value, float) and math.isfinite(value)


def to_js_string(value: Any) -> str:
    """``"" + value`` for a number or boolean, as AJV coerces to string."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        value = value if -_MAX_SAFE <= value <= _MAX_SAFE else _int_to_float(value)
    if isinstance(value, float) and not math.isfinite(value):
        if value != value:
            return "NaN"
        return "Infinity" if value > 0 else "-Infinity"
    return number_to_string(value)


def js_typeof(value: Any) -> str:
    """``typeof value`` for a JSON value (null, arrays and objects are all "object")."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None or isinstance(value, (list, dict)):
        return "object"
    return "undefined"


def js_deep_equal(a: Any, b: Any) -> bool:
    """``===`` for scalars, structural equality for arrays and objects (AJV's ``enum``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(js_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(js_deep_equal(a[k], b[k]) for k in a)
    return False


def js_value_text(value: Any) -> str:
    """``JSON.stringify(value)`` for messages (non-finite numbers print as ``null``)."""
    try:
        return dumps(value)
    except (TypeError, OverflowError):
        return "undefined"


def utf16_length(text: str) -> int:
    """``String.prototype.length``: characters outside the BMP count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def json_pointer_escape(key: str) -> str:
    """One JSON Pointer reference token, escaped the way AJV writes ``instancePath``."""
    return key.replace("~", "~0").replace("/", "~1")
