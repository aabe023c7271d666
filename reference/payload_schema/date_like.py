"""Production's ``date-like`` string format (``datetime`` fields).

The runtime registers ``date-like`` as: parse the string with ``dayjs``; but if
the string is a number written the way JavaScript prints numbers, read it as
Unix seconds instead (a 13-digit millisecond string is also read as seconds,
because the millisecond reading is immediately overwritten).  dayjs itself
reads ``YYYY[-/]MM[-/]DD[T ]hh:mm:ss.sss``-like strings with its own pattern
(always a valid date) unless they end in ``Z``, and hands everything else to
``new Date(string)``.  Only strings are checked: numbers pass untouched.
"""

from __future__ import annotations

import math
import re

from reference.js_json import number_to_string
from reference.payload_schema.js_semantics import JS_WHITESPACE, string_to_number
from reference.payload_schema.v8_date_parser import PLAIN_ISO_TIMESTAMP, accepts_date_string

__all__ = ["is_date_like"]

_MAX_TIME_MS = 8.64e15
_JS_SPACE_CLASS = "".join(f"\\u{ord(ch):04x}" for ch in JS_WHITESPACE)
# dayjs's REGEX_PARSE, with JavaScript's ASCII ``\d`` and Unicode ``\s``.
_DAYJS_PATTERN = re.compile(
    r"([0-9]{4})[-/]?([0-9]{1,2})?[-/]?([0-9]{0,2})[Tt" + _JS_SPACE_CLASS + r"]*"
    r"([0-9]{1,2})?:?([0-9]{1,2})?:?([0-9]{1,2})?[.:]?([0-9]+)?"
)


def _is_canonical_number(text: str, value: float) -> bool:
    """``String(Number(text)) === text``."""
    if math.isnan(value):
        return text == "NaN"
    if math.isinf(value):
        return text == ("Infinity" if value > 0 else "-Infinity")
    return number_to_string(value) == text


def _dayjs_accepts(text: str) -> bool:
    if not text.endswith(("Z", "z")) and _DAYJS_PATTERN.fullmatch(text):
        return True
    return accepts_date_string(text)


def is_date_like(text: str) -> bool:
    """Whether production's ``date-like`` format accepts this string."""
    if PLAIN_ISO_TIMESTAMP.fullmatch(text) is not None:
        return True  # the usual event timestamp: not a plain number, always a valid date
    value = string_to_number(text)
    if _is_canonical_number(text, value):
        # dayjs.unix(n) is new Date(n * 1000): valid while within the Date range.
        milliseconds = value * 1000
        return math.isfinite(milliseconds) and abs(milliseconds) <= _MAX_TIME_MS
    return _dayjs_accepts(text)
