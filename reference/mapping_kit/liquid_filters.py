"""Liquid filters with the behaviour of production's engine (liquidjs), not Shopify's.

python-liquid's own filters follow Ruby (integer division, ``2.0`` printed as
``2.0``, strict argument types).  Production runs liquidjs, whose filters
coerce with JavaScript rules: numbers are doubles, ``plus: "1"`` adds, a
missing argument is ``undefined``, strings are measured in UTF-16 code units,
and filters charge a shared memory budget.  Each filter here takes the
render's :class:`MemoryBudget` first, then the value and the arguments.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import random
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from reference.js_json import UNDEFINED
from reference.js_values import (
    JS_WHITESPACE,
    JS_WHITESPACE_RUN,
    join_utf16,
    js_trim,
    number_text,
    to_js_string,
    to_number,
    truthy,
    utf16_length,
    utf16_units,
)

from .liquid_dates import format_date, parse_liquid_date
from .liquid_values import json_stringify_charged, liquid_equals, liquid_string, liquid_truthy, read_path

__all__ = ["FILTERS", "DISABLED_FILTERS", "MemoryBudget", "LiquidFilterError"]

#: Filters production registers as throwing "filter "<name>" is disabled".
DISABLED_FILTERS = (
    "array_to_sentence_string",
    "concat",
    "find",
    "find_exp",
    "find_index",
    "find_index_exp",
    "group_by",
    "group_by_exp",
    "has",
    "has_exp",
    "map",
    "newline_to_br",
    "reject",
    "reject_exp",
    "reverse",
    "sort",
    "sort_natural",
    "uniq",
    "where_exp",
    "type",
)

_MAX_SAFE_INTEGER = 2**53 - 1


class LiquidFilterError(Exception):
    """A filter failed the way the liquidjs filter throws (message is liquidjs's)."""


class MemoryBudget:
    """liquidjs's ``memoryLimit``: filters charge what they allocate, 1e8 units per render."""

    __slots__ = ("used", "limit")

    def __init__(self, limit: float) -> None:
        self.used = 0.0
        self.limit = limit

    def use(self, count: float) -> None:
        if count > 0:
            if self.used + count > self.limit:
                raise LiquidFilterError("memory alloc limit exceeded")
            self.used += count


def _is_nil(value: Any) -> bool:
    return value is None or value is UNDEFINED


def _missing(value: Any) -> bool:
    return value is UNDEFINED


def _number(value: Any) -> float:
    """liquidjs's ``toNumber``: ``Number(value)``, with NaN read as 0."""
    number = to_number(value)
    return number if number == number else 0.0


def _result(number: float) -> int | float:
    """Keep integral doubles as ints so they print and compare like JavaScript numbers."""
    if (
        number == number
        and number not in (math.inf, -math.inf)
        and number.is_integer()
        and abs(number) <= 2**53
    ):
        return int(number)
    return number


def _to_array(value: Any) -> list:
    if _is_nil(value):
        return []
    if isinstance(value, list):
        return value
    return [value]


def _array_join_item(item: Any) -> str:
    """``Array.prototype.join`` writes null/undefined as nothing and the rest with ``String``."""
    return "" if _is_nil(item) else to_js_string(item)


def _js_div(left: float, right: float) -> float:
    if right == 0:
        if left != left or left == 0:
            return math.nan
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _js_mod(left: float, right: float) -> float:
    if right == 0 or left != left or right != right or left in (math.inf, -math.inf):
        return math.nan
    if right in (math.inf, -math.inf):
        return left
    return math.fmod(left, right)


def _js_round(number: float) -> float:
    """``Math.round``: halves round up (towards +infinity)."""
    if number != number or number in (math.inf, -math.inf):
        return number
    return float(math.floor(number + 0.5))


def _shift_decimal(number: float, exponent: int) -> float:
    mantissa, _, power = number_text(number).partition("e")
    return to_number(f"{mantissa}e{int(power or '0') + exponent}")


# --- math -----------------------------------------------------------------


def _abs(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _result(abs(_number(value)))


def _at_least(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _result(max([_number(value), *(_number(arg) for arg in args)]))


def _at_most(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _result(min([_number(value), *(_number(arg) for arg in args)]))


def _ceil(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    number = _number(value)
    return _result(float(math.ceil(number)) if math.isfinite(number) else number)


def _floor(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    number = _number(value)
    return _result(float(math.floor(number)) if math.isfinite(number) else number)


def _divided_by(
    budget: MemoryBudget, value: Any, divisor: Any = UNDEFINED, integer: Any = UNDEFINED, *_: Any
) -> Any:
    quotient = _js_div(_number(value), _number(divisor))
    if _number(integer) and math.isfinite(quotient):
        quotient = float(math.floor(quotient))
    return _result(quotient)


def _minus(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    return _result(_number(value) - _number(arg))


def _plus(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    return _result(_number(value) + _number(arg))


def _times(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    return _result(_number(value) * _number(arg))


def _modulo(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    divisor = _number(arg)
    return _result(_js_mod(_js_mod(_number(value), divisor) + divisor, divisor))


def _round(budget: MemoryBudget, value: Any, places: Any = UNDEFINED, *_: Any) -> Any:
    number = _number(value)
    digits = 0 if _missing(places) else _number(places)
    digits_int = int(digits) if math.isfinite(digits) else 0
    if digits != digits_int:
        # A fractional exponent makes production's shifted number unparsable (NaN).
        return _result(number)
    scaled = _shift_decimal(abs(number), digits_int)
    if not scaled <= _MAX_SAFE_INTEGER:
        return _result(number)
    rounded = _shift_decimal(_js_round(scaled), -digits_int)
    return _result(-rounded if number < 0 else rounded)


# --- strings --------------------------------------------------------------


def _append(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    if len(args) != 1:
        raise LiquidFilterError("append expect 2 arguments")
    left, right = liquid_string(value), liquid_string(args[0])
    budget.use(utf16_length(left) + utf16_length(right))
    return join_utf16(left + right)


def _prepend(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    if len(args) != 1:
        raise LiquidFilterError("prepend expect 2 arguments")
    left, right = liquid_string(value), liquid_string(args[0])
    budget.use(utf16_length(left) + utf16_length(right))
    return join_utf16(right + left)


def _strip_chars(text: str, chars: str, left: bool, right: bool) -> str:
    characters = set(chars)
    start, end = 0, len(text)
    if left:
        while start < end and text[start] in characters:
            start += 1
    if right:
        while end > start and text[end - 1] in characters:
            end -= 1
    return text[start:end]


def _lstrip(budget: MemoryBudget, value: Any, chars: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    if truthy(chars):
        chars_text = liquid_string(chars)
        budget.use(utf16_length(chars_text))
        return _strip_chars(text, chars_text, True, False)
    return text.lstrip(JS_WHITESPACE)


def _rstrip(budget: MemoryBudget, value: Any, chars: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    if truthy(chars):
        chars_text = liquid_string(chars)
        budget.use(utf16_length(chars_text))
        return _strip_chars(text, chars_text, False, True)
    return text.rstrip(JS_WHITESPACE)


def _strip(budget: MemoryBudget, value: Any, chars: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    if truthy(chars):
        chars_text = liquid_string(chars)
        budget.use(len(set(chars_text)))
        return _strip_chars(text, chars_text, True, True)
    return js_trim(text)


def _downcase(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return text.lower()


def _upcase(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return text.upper()


def _capitalize(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    units = utf16_units(text)
    return join_utf16(units[:1].upper() + units[1:].lower())


def _split_units(text: str, separator: str) -> list[str]:
    """``String.prototype.split`` with a string separator."""
    if separator == "":
        return [join_utf16(unit) for unit in utf16_units(text)]
    return text.split(separator)


def _remove(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    text, pattern = liquid_string(value), liquid_string(arg)
    budget.use(utf16_length(text) + utf16_length(pattern))
    return "".join(_split_units(text, pattern))


def _remove_first(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    text, pattern = liquid_string(value), liquid_string(arg)
    budget.use(utf16_length(text) + utf16_length(pattern))
    return text.replace(pattern, "", 1)


def _remove_last(budget: MemoryBudget, value: Any, arg: Any = UNDEFINED, *_: Any) -> Any:
    text, pattern = liquid_string(value), liquid_string(arg)
    budget.use(utf16_length(text) + utf16_length(pattern))
    index = text.rfind(pattern)
    return text if index == -1 else text[:index] + text[index + len(pattern) :]


def _replace(
    budget: MemoryBudget, value: Any, pattern: Any = UNDEFINED, replacement: Any = UNDEFINED, *_: Any
) -> Any:
    text, old, new = liquid_string(value), liquid_string(pattern), liquid_string(replacement)
    parts = _split_units(text, old)
    budget.use(utf16_length(text) + (len(parts) - 1) * (utf16_length(new) - utf16_length(old)))
    return join_utf16(new.join(parts))


def _replace_first(
    budget: MemoryBudget, value: Any, pattern: Any = UNDEFINED, replacement: Any = UNDEFINED, *_: Any
) -> Any:
    text, old, new = liquid_string(value), liquid_string(pattern), liquid_string(replacement)
    budget.use(utf16_length(text) + utf16_length(old) + utf16_length(new))
    return join_utf16(text.replace(old, new, 1))


def _replace_last(
    budget: MemoryBudget, value: Any, pattern: Any = UNDEFINED, replacement: Any = UNDEFINED, *_: Any
) -> Any:
    text, old, new = liquid_string(value), liquid_string(pattern), liquid_string(replacement)
    budget.use(utf16_length(text) + utf16_length(old) + utf16_length(new))
    index = text.rfind(old)
    return text if index == -1 else join_utf16(text[:index] + new + text[index + len(old) :])


def _split(budget: MemoryBudget, value: Any, separator: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    parts = _split_units(text, liquid_string(separator))
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _strip_newlines(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return re.sub(r"\r?\n", "", text)


def _squish(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return js_trim(JS_WHITESPACE_RUN.sub(" ", text))


def _normalize_whitespace(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return JS_WHITESPACE_RUN.sub(" ", text)


def _code_point_prefix(text: str, count: float) -> str:
    """The first ``count`` code points (``advanceCodePoints``)."""
    if count <= 0:
        return ""
    return text[: int(count) if count < len(text) else len(text)] if math.isfinite(count) else text


def _truncate(
    budget: MemoryBudget, value: Any, length: Any = UNDEFINED, ending: Any = UNDEFINED, *_: Any
) -> Any:
    text = liquid_string(value)
    limit = 50.0 if _missing(length) else to_number(length)
    tail = "..." if _missing(ending) else liquid_string(ending)
    budget.use(utf16_length(text) + utf16_length(tail))
    if utf16_length(text) <= limit or len(
        _code_point_prefix(text, math.ceil(limit) if limit == limit else 0)
    ) >= len(text):
        return value
    keep = max(limit - len(tail), 0) if limit == limit else 0
    return _code_point_prefix(text, math.ceil(keep)) + tail


def _truncatewords(
    budget: MemoryBudget, value: Any, words: Any = UNDEFINED, ending: Any = UNDEFINED, *_: Any
) -> Any:
    text = liquid_string(value)
    tail = "..." if _missing(ending) else liquid_string(ending)
    budget.use(utf16_length(text) + utf16_length(tail))
    parts = JS_WHITESPACE_RUN.split(text.lstrip(JS_WHITESPACE))
    count = 15.0 if _missing(words) else to_number(words)
    if count <= 0:
        count = 1.0
    taken = parts[: int(count)] if count == count and math.isfinite(count) else (parts if count > 0 else [])
    out = " ".join(taken)
    if len(parts) >= count:
        out += tail
    return out


def _number_of_words(budget: MemoryBudget, value: Any, mode: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    text = js_trim(text)
    if not text:
        return 0
    cjk = re.compile("[\u4e00-\u9fff\uf900-\ufaff\u3400-\u4dbf\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af]")
    non_cjk = re.compile(
        "[^\u4e00-\u9fff\uf900-\ufaff\u3400-\u4dbf\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af"
        "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
    )
    if mode == "cjk" or (mode == "auto" and cjk.search(text)):
        return len(cjk.findall(text)) + len(non_cjk.findall(text))
    return len(JS_WHITESPACE_RUN.split(text))


# --- html and urls ----------------------------------------------------------

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
_UNESCAPES = {value: key for key, value in _ESCAPES.items()}


def _escape(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return re.sub(r"[&<>\"']", lambda match: _ESCAPES[match.group(0)], text)


def _escape_once(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    text = re.sub(r"&(amp|lt|gt|#34|#39);", lambda match: _UNESCAPES[match.group(0)], text)
    return _escape(budget, text)


def _strip_html(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    blocks = {"<script": "</script>", "<style": "</style>", "<!--": "-->", "<": ">"}
    out: list[str] = []
    index = 0
    while index < len(text):
        opening = text.find("<", index)
        if opening < 0:
            return "".join(out) + text[index:]
        out.append(text[index:opening])
        for opener, closer in list(blocks.items()):
            if not text.startswith(opener, opening):
                continue
            end = text.find(closer, opening + len(opener))
            if end >= 0:
                index = end + len(closer)
                break
            del blocks[opener]
        if index <= opening:
            return "".join(out) + text[opening:]
    return "".join(out)


_URI_COMPONENT_SAFE = "-_.!~*'()"
_URI_SAFE = _URI_COMPONENT_SAFE + ";/?:@&=+$,#"


def _encode_uri(text: str, safe: str) -> str:
    if re.search("[\ud800-\udfff]", text):
        raise LiquidFilterError("URI malformed")
    return quote(text, safe=safe)


def _decode_uri_component(text: str) -> str:
    """``decodeURIComponent``: every %XX is a UTF-8 byte; malformed input fails."""
    pieces: list[str] = []
    pending = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            hex_digits = text[index + 1 : index + 3]
            if len(hex_digits) != 2 or not all(c in "0123456789abcdefABCDEF" for c in hex_digits):
                raise LiquidFilterError("URI malformed")
            pending.append(int(hex_digits, 16))
            index += 3
            continue
        if pending:
            pieces.append(_utf8(bytes(pending)))
            pending.clear()
        pieces.append(char)
        index += 1
    if pending:
        pieces.append(_utf8(bytes(pending)))
    return "".join(pieces)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LiquidFilterError("URI malformed") from error


def _url_decode(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _decode_uri_component(liquid_string(value).replace("+", " "))


def _url_encode(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _encode_uri(liquid_string(value), _URI_COMPONENT_SAFE).replace("%20", "+")


def _cgi_escape(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    encoded = _encode_uri(liquid_string(value), _URI_COMPONENT_SAFE).replace("%20", "+")
    return re.sub(r"[!'()*]", lambda match: f"%{ord(match.group(0)):X}", encoded)


def _uri_escape(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _encode_uri(liquid_string(value), _URI_SAFE).replace("%5B", "[").replace("%5D", "]")


_ACCENTS = [
    ("[àáâãäå]", "a"), ("[æ]", "ae"), ("[ç]", "c"), ("[èéêë]", "e"), ("[ìíîï]", "i"), ("[ð]", "d"),
    ("[ñ]", "n"), ("[òóôõöø]", "o"), ("[ùúûü]", "u"), ("[ýÿ]", "y"), ("[ß]", "ss"), ("[œ]", "oe"),
    ("[þ]", "th"), ("[ẞ]", "SS"), ("[Œ]", "OE"), ("[Þ]", "TH"),
]  # fmt: skip


def _slugify(budget: MemoryBudget, value: Any, mode: Any = UNDEFINED, cased: Any = UNDEFINED, *_: Any) -> Any:
    text = liquid_string(value)
    mode = "default" if _missing(mode) else mode
    word = r"[^\w]|_"
    patterns = {
        "raw": re.compile(r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"),
        "default": re.compile(rf"(?:{word})+"),
        "pretty": re.compile(r"(?:[^\w._~!$&'()+,;=@]|_)+"),
        "ascii": re.compile(r"[^A-Za-z0-9]+"),
        "latin": re.compile(rf"(?:{word})+"),
    }
    pattern = patterns.get(mode) if isinstance(mode, str) else None
    if pattern is not None:
        if mode == "latin":
            for accented, plain in _ACCENTS:
                text = re.sub(accented, plain, text)
        text = re.sub(r"^-|-$", "", pattern.sub("-", text))
    return text if truthy(False if _missing(cased) else cased) else text.lower()


def _base64_encode(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")


def _base64_decode(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    compact = re.sub(r"[\t\n\f\r ]", "", text)
    if len(compact) % 4 == 0:
        compact = re.sub(r"==?$", "", compact)
    if len(compact) % 4 == 1 or not re.fullmatch(r"[A-Za-z0-9+/]*", compact):
        raise LiquidFilterError("invalid base64 provided to base64_decode")
    try:
        data = base64.b64decode(compact + "=" * (-len(compact) % 4))
    except binascii.Error as error:
        raise LiquidFilterError("invalid base64 provided to base64_decode") from error
    return data.decode("utf-8", "replace")


def _sha256(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    text = liquid_string(value)
    budget.use(utf16_length(text))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _hmac_sha256(budget: MemoryBudget, value: Any, key: Any = UNDEFINED, *_: Any) -> Any:
    text, secret = liquid_string(value), liquid_string(key)
    budget.use(utf16_length(text) + utf16_length(secret))
    return hmac.new(
        secret.encode("utf-8", "replace"), text.encode("utf-8", "replace"), hashlib.sha256
    ).hexdigest()


# --- arrays -----------------------------------------------------------------


def _join(budget: MemoryBudget, value: Any, separator: Any = UNDEFINED, *_: Any) -> Any:
    items = _to_array(value)
    glue = " " if _is_nil(separator) else liquid_string(separator)
    texts = [_array_join_item(item) for item in items]
    budget.use(utf16_length(glue) * max(len(items) - 1, 0) + sum(utf16_length(text) for text in texts))
    return join_utf16(glue.join(texts))


def _array_like_element(value: Any, index: int) -> Any:
    if isinstance(value, list):
        if not value:
            return UNDEFINED
        return value[index]
    if isinstance(value, str) and value:
        units = utf16_units(value)
        return units[index]
    if isinstance(value, dict) and isinstance(value.get("length"), (int, float)) and truthy(value):
        length = value["length"]
        key = (
            str(int(length) - 1 if index < 0 else 0)
            if isinstance(length, int) or float(length).is_integer()
            else None
        )
        return value.get(key, UNDEFINED) if key is not None else UNDEFINED
    return ""


def _first(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _array_like_element(value, 0)


def _last(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _array_like_element(value, -1)


def _size(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    if isinstance(value, (list, str)):
        return len(value) if isinstance(value, list) else utf16_length(value)
    if isinstance(value, dict):
        length = value.get("length", UNDEFINED)
        return length if truthy(length) else 0
    return 0


def _sum(budget: MemoryBudget, value: Any, prop: Any = UNDEFINED, *_: Any) -> Any:
    total = 0.0
    for item in _to_array(value):
        data = to_number(read_path(item, liquid_string(prop).split(".")) if truthy(prop) else item)
        total += 0.0 if data != data else data
    return _result(total)


def _compact(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items))
    return [item for item in items if not _is_nil(item)]


def _push(budget: MemoryBudget, value: Any, item: Any = UNDEFINED, *_: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items) + 1)
    return [*items, item]


def _unshift(budget: MemoryBudget, value: Any, item: Any = UNDEFINED, *_: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items))
    return [item, *items]


def _pop(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items))
    return items[:-1]


def _shift(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items))
    return items[1:]


def _slice(budget: MemoryBudget, value: Any, begin: Any = UNDEFINED, length: Any = 1, *_: Any) -> Any:
    if _is_nil(value):
        return []
    if _missing(length):
        length = 1
    subject = value if isinstance(value, list) else liquid_string(value)
    start = to_number(begin)
    count = to_number(length)
    size = len(subject)
    if start < 0:
        start += size
    if start < 0 or count < 0:
        return [] if isinstance(subject, list) else ""
    budget.use(count)
    if start != start:
        start = 0
    if count != count:
        count = 0
    first = int(start) if math.isfinite(start) else size
    stop = first + int(count) if math.isfinite(count) else size
    return subject[first:stop]


def _where(budget: MemoryBudget, value: Any, prop: Any = UNDEFINED, *rest: Any) -> Any:
    items = _to_array(value)
    budget.use(len(items))
    path = re.split(r"\.", liquid_string(prop))
    expected = rest[0] if rest else UNDEFINED
    out = []
    for item in items:
        found = read_path(item, path)
        matched = liquid_truthy(found) if expected is UNDEFINED else liquid_equals(found, expected)
        if matched:
            out.append(item)
    return out


def _sample(budget: MemoryBudget, value: Any, count: Any = 1, *_: Any) -> Any:
    if _is_nil(value):
        return []
    subject = list(value) if isinstance(value, list) else list(liquid_string(value))
    budget.use(len(subject))
    random.shuffle(subject)
    if count == 1:
        return subject[0] if subject else UNDEFINED
    return subject[: int(_number(count))]


# --- dates --------------------------------------------------------------------


def _date(budget: MemoryBudget, value: Any, fmt: Any = UNDEFINED, offset: Any = UNDEFINED, *_: Any) -> Any:
    size = (len(value) if isinstance(value, (str, list)) else 0) + (
        len(offset) if isinstance(offset, str) else 0
    )
    budget.use(size)
    moment = parse_liquid_date(value, offset)
    if moment is None:
        return value
    pattern = "%A, %B %-e, %Y at %-l:%M %P %z" if _is_nil(fmt) else liquid_string(fmt)
    budget.use(utf16_length(pattern))
    return format_date(moment, pattern, budget.use)


def _date_to_xmlschema(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _date(budget, value, "%Y-%m-%dT%H:%M:%S%:z")


def _date_to_rfc822(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    moment = parse_liquid_date(value, UNDEFINED)
    if moment is None:
        return value
    return format_date(moment, "%a, %d %b %Y %H:%M:%S %z", budget.use)


def _stringify_date(budget: MemoryBudget, value: Any, month: str, kind: Any, style: Any) -> Any:
    moment = parse_liquid_date(value, UNDEFINED)
    if moment is None:
        return value
    if kind == "ordinal":
        day = moment.shown().day
        pattern = f"{month} {day}%q, %Y" if style == "US" else f"{day}%q {month} %Y"
        return format_date(moment, pattern, budget.use)
    return format_date(moment, f"%d {month} %Y", budget.use)


def _date_to_string(
    budget: MemoryBudget, value: Any, kind: Any = UNDEFINED, style: Any = UNDEFINED, *_: Any
) -> Any:
    return _stringify_date(budget, value, "%b", kind, style)


def _date_to_long_string(
    budget: MemoryBudget, value: Any, kind: Any = UNDEFINED, style: Any = UNDEFINED, *_: Any
) -> Any:
    return _stringify_date(budget, value, "%B", kind, style)


# --- misc ---------------------------------------------------------------------


def _default(budget: MemoryBudget, value: Any, fallback: Any = UNDEFINED, *options: Any) -> Any:
    if isinstance(value, (list, str)):
        return value if len(value) else fallback
    allow_false = dict(option for option in options if isinstance(option, tuple)).get("allow_false")
    if value is False and truthy(allow_false):
        return False
    return fallback if not liquid_truthy(value) else value


def _json(budget: MemoryBudget, value: Any, space: Any = 0, *_: Any) -> Any:
    return json_stringify_charged(value, 0 if _missing(space) else space, budget.use)


def _to_integer(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return _result(to_number(value))


def _raw(budget: MemoryBudget, value: Any, *args: Any) -> Any:
    return value


Filter = Callable[..., Any]

FILTERS: dict[str, Filter] = {
    "escape": _escape,
    "xml_escape": _escape,
    "escape_once": _escape_once,
    "strip_html": _strip_html,
    "abs": _abs,
    "at_least": _at_least,
    "at_most": _at_most,
    "ceil": _ceil,
    "divided_by": _divided_by,
    "floor": _floor,
    "minus": _minus,
    "plus": _plus,
    "modulo": _modulo,
    "times": _times,
    "round": _round,
    "url_decode": _url_decode,
    "url_encode": _url_encode,
    "cgi_escape": _cgi_escape,
    "uri_escape": _uri_escape,
    "slugify": _slugify,
    "join": _join,
    "last": _last,
    "first": _first,
    "size": _size,
    "sum": _sum,
    "compact": _compact,
    "push": _push,
    "unshift": _unshift,
    "pop": _pop,
    "shift": _shift,
    "slice": _slice,
    "where": _where,
    "sample": _sample,
    "date": _date,
    "date_to_xmlschema": _date_to_xmlschema,
    "date_to_rfc822": _date_to_rfc822,
    "date_to_string": _date_to_string,
    "date_to_long_string": _date_to_long_string,
    "append": _append,
    "prepend": _prepend,
    "lstrip": _lstrip,
    "downcase": _downcase,
    "upcase": _upcase,
    "remove": _remove,
    "remove_first": _remove_first,
    "remove_last": _remove_last,
    "rstrip": _rstrip,
    "split": _split,
    "strip": _strip,
    "strip_newlines": _strip_newlines,
    "squish": _squish,
    "capitalize": _capitalize,
    "replace": _replace,
    "replace_first": _replace_first,
    "replace_last": _replace_last,
    "truncate": _truncate,
    "truncatewords": _truncatewords,
    "normalize_whitespace": _normalize_whitespace,
    "number_of_words": _number_of_words,
    "base64_encode": _base64_encode,
    "base64_decode": _base64_decode,
    "sha256": _sha256,
    "hmac_sha256": _hmac_sha256,
    "default": _default,
    "raw": _raw,
    "jsonify": _json,
    "to_integer": _to_integer,
    "json": _json,
    "inspect": _json,
}
