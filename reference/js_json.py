"""JSON as production's JavaScript runtime reads and writes it.

Production parses events with ``JSON.parse`` (every number is an IEEE double)
and sends bodies with ``JSON.stringify``.  Python differs in small ways that
change bytes on the wire: ``2.0`` prints as ``2.0`` instead of ``2``, ``1e16``
as ``1e+16`` instead of ``10000000000000000``, ints above 2**53 keep digits a
double cannot hold, ``NaN`` is accepted, lone surrogates cannot be encoded.
This module reproduces the JavaScript behaviour so requests match to the byte.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

__all__ = [
    "UNDEFINED",
    "dumps",
    "dumps_bytes",
    "is_array_index",
    "is_integer",
    "is_number",
    "js_ordered",
    "loads",
    "number_to_string",
    "type_name",
]

_MAX_SAFE = 2**53


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_int(text: str) -> int | float:
    if len(text) > 20:
        # Past 2**53 a double cannot hold every digit and JSON.parse rounds (to
        # Infinity beyond the double range); float() does the same, for any length.
        return float(text)
    value = int(text)
    return value if -_MAX_SAFE <= value <= _MAX_SAFE else float(value)


def _parse_float(text: str) -> int | float:
    value = float(text)
    # JavaScript has one number type: 2.0 is 2.  Keeping integral values as int
    # makes them print as JSON.stringify prints them.
    return int(value) if value.is_integer() and -_MAX_SAFE <= value <= _MAX_SAFE else value


def loads(text: str | bytes) -> Any:
    """Parse JSON the way ``JSON.parse`` does (no NaN/Infinity, numbers are doubles)."""
    return json.loads(
        text,
        parse_constant=_reject_constant,
        parse_int=_parse_int,
        parse_float=_parse_float,
        object_pairs_hook=_object_from_pairs,
    )


def is_number(value: Any) -> bool:
    """True for JSON numbers (Python's bool is an int, but not a number here)."""
    return (isinstance(value, (int, float))) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """``Number.isInteger``: 2 and 2.0 are integers, 2.5 and true are not."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def type_name(value: Any) -> str:
    """Production's ``realTypeOf``: the JSON type name, or ``undefined``, as messages name it."""
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


def number_to_string(value: int | float) -> str:
    """``Number.prototype.toString()`` for a finite number (ECMA-262 Number::toString)."""
    if isinstance(value, int) and -_MAX_SAFE <= value <= _MAX_SAFE:
        return str(value)
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        return "null"  # JSON.stringify writes non-finite numbers as null
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr() gives the shortest digits that round-trip, as JavaScript does.
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    k = len(digits)
    n = exponent + k  # value = 0.digits × 10**n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def _string(value: str) -> str:
    out = encode_basestring(value)
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        # Well-formed JSON.stringify escapes lone surrogates instead of failing.
        out = "".join(f"\\u{ord(ch):04x}" if "\ud800" <= ch <= "\udfff" else ch for ch in out)
    return out


_MAX_INDEX = 2**32 - 2


class _Undefined:
    """JavaScript's ``undefined``: a value that is "not there"."""

    __slots__ = ()
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


#: A value that resolved to JavaScript ``undefined``.  JSON.stringify leaves
#: such keys out of objects and writes ``null`` for such array items.
UNDEFINED: Any = _Undefined()


def is_array_index(key: str) -> bool:
    """True for keys JavaScript treats as array indexes (and so orders first in objects)."""
    return key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) <= _MAX_INDEX


def js_ordered(obj: dict) -> dict:
    """The object with JavaScript's key order: array-index keys ascending, then the rest.

    JSON.parse and object literals both enumerate integer-like keys first, so
    every object production handles is in this order; a Python dict keeps
    insertion order instead.
    """
    indexes = [key for key in obj if isinstance(key, str) and key[:1].isdigit() and is_array_index(key)]
    if not indexes:
        return obj
    indexes.sort(key=int)
    out = {key: obj[key] for key in indexes}
    for key, value in obj.items():
        if key not in out:
            out[key] = value
    return out


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict:
    return js_ordered(dict(pairs))


def _encode(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, (int, float)):
        parts.append(number_to_string(value))
    elif isinstance(value, dict):
        parts.append("{")
        first = True
        for key, item in js_ordered(value).items():
            if item is UNDEFINED:
                continue
            if not first:
                parts.append(",")
            first = False
            parts.append(_string(str(key)))
            parts.append(":")
            _encode(item, parts)
        parts.append("}")
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            _encode(None if item is UNDEFINED else item, parts)
        parts.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")


_fast_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# Output of the C encoder that may differ from JSON.stringify: floats Python
# prints as "2.0" or with an exponent, keys (or array strings) starting with a
# digit (JavaScript orders integer-like keys first) and lone surrogates.
# Substring tests are cheap; the regexes only confirm a hit.  A false alarm
# (say a string holding "re-run") only costs the slower, exact encoder.
_EXPONENT = re.compile(r"\d[eE][-+]")
_DIGIT_KEY = re.compile(r'[{,\[]"\d')
_SURROGATE = re.compile("[\ud800-\udfff]")
_DIGIT_QUOTES = tuple(f'"{d}' for d in "0123456789")


def _needs_exact(text: str) -> bool:
    if ".0," in text or ".0}" in text or ".0]" in text or text.endswith(".0"):
        return True
    if ("e-" in text or "e+" in text or "E-" in text or "E+" in text) and _EXPONENT.search(text):
        return True
    if any(q in text for q in _DIGIT_QUOTES) and _DIGIT_KEY.search(text):
        return True
    return _SURROGATE.search(text) is not None


def _exact(value: Any) -> str:
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts)


def dumps(value: Any) -> str:
    """``JSON.stringify(value)``: compact, key order kept, numbers as JavaScript prints them.

    The C encoder does the work when its output is certainly what JavaScript
    writes; anything it could get wrong goes through the exact encoder.
    """
    try:
        text = _fast_encode(value)
    except (TypeError, ValueError):  # undefined, NaN, Infinity, non-JSON types
        return _exact(value)
    return _exact(value) if _needs_exact(text) else text


def dumps_bytes(value: Any) -> bytes:
    """The UTF-8 body production puts on the wire."""
    return dumps(value).encode("utf-8")
