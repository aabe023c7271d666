"""JavaScript dates as production's Node (V8) makes them: ``Date.parse``, ``new Date(value)``, calendar math.

Two places in production turn strings into dates: dayjs (behind the
``date-like`` format) hands every string it cannot read itself to
``new Date(string)``, and liquidjs's ``date`` filter does the same.  V8's
parser first tries the ES5 ISO format and then continues with a lenient
"legacy" grammar (month names, ``am``/``pm``, time-zone abbreviations,
parenthesised comments, ignored punctuation).  This module reproduces its
grammar and its range checks; production runs with the UTC time zone, so
local times are UTC.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from reference.js_json import UNDEFINED
from reference.js_values import JS_WHITESPACE, to_js_string, to_number, utf16_length

__all__ = [
    "MAX_TIME_MS",
    "MS_PER_DAY",
    "PLAIN_ISO_TIMESTAMP",
    "accepts_date_string",
    "civil_from_days",
    "date_value",
    "days_from_civil",
    "parse_date_string",
    "time_clip",
]

#: The largest distance from the epoch a JavaScript ``Date`` can hold, in milliseconds.
MAX_TIME_MS = 8_640_000_000_000_000
MS_PER_DAY = 86_400_000

_NONE = 2**31 - 1  # V8's kMaxInt marks a missing component
_SMI_MAX = 2**31 - 1
_MAX_DIGITS = 9  # digits beyond the ninth do not change a numeral's value

# Token kinds
_END, _NUMBER, _SYMBOL, _SPACE, _WORD, _UNKNOWN, _INVALID = range(7)
# Word meanings
_GARBAGE, _MONTH, _ZONE, _T, _AMPM = range(5)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_KEYWORDS: dict[str, tuple[int, int]] = {
    **{name: (_MONTH, number) for number, name in enumerate(_MONTHS, start=1)},
    "am": (_AMPM, 0),
    "pm": (_AMPM, 12),
    "ut": (_ZONE, 0),
    "utc": (_ZONE, 0),
    "z": (_ZONE, 0),
    "gmt": (_ZONE, 0),
    "cdt": (_ZONE, -5),
    "cst": (_ZONE, -6),
    "edt": (_ZONE, -4),
    "est": (_ZONE, -5),
    "mdt": (_ZONE, -6),
    "mst": (_ZONE, -7),
    "pdt": (_ZONE, -7),
    "pst": (_ZONE, -8),
    "t": (_T, 0),
}

# ECMAScript LineTerminator (only skipped when not in a word) and WhiteSpace (also ends a word).
_LINE_TERMINATORS = frozenset("\n\r\u2028\u2029")
_WHITE_SPACE = frozenset(JS_WHITESPACE) - _LINE_TERMINATORS
# The common shape of event timestamps, all of whose matches V8 accepts.
PLAIN_ISO_TIMESTAMP = re.compile(
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(?::[0-5][0-9](?:\.[0-9]+)?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)


@dataclass(frozen=True)
class _Token:
    kind: int
    value: int = 0
    length: int = 0
    word: int = _GARBAGE

    def is_symbol(self, symbol: str) -> bool:
        return self.kind == _SYMBOL and self.value == ord(symbol)

    def is_sign(self) -> bool:
        return self.kind == _SYMBOL and self.value in (43, 45)

    def sign(self) -> int:
        return 1 if self.value == 43 else -1

    def is_number(self, length: int | None = None) -> bool:
        return self.kind == _NUMBER and (length is None or self.length == length)

    def is_zone_z(self) -> bool:
        return self.kind == _WORD and self.word == _ZONE and self.length == 1 and self.value == 0


_END_TOKEN = _Token(_END)
_INVALID_TOKEN = _Token(_INVALID)


class _Scanner:
    """Splits the string into V8's date tokens, one token of lookahead."""

    def __init__(self, text: str) -> None:
        # A NUL character ends the input for V8's reader.
        nul = text.find("\0")
        self._text = text if nul < 0 else text[:nul]
        self._pos = 0
        self._next = self._scan()

    def _scan(self) -> _Token:
        text, pos = self._text, self._pos
        if pos >= len(text):
            return _END_TOKEN
        ch = text[pos]
        if "0" <= ch <= "9":
            end = pos
            while end < len(text) and "0" <= text[end] <= "9":
                end += 1
            self._pos = end
            # Leading zeros are skipped; nine significant digits make the value.
            digits = text[pos:end].lstrip("0")
            return _Token(_NUMBER, int(digits[:_MAX_DIGITS] or "0"), end - pos)
        if ch in ":-+.)":
            self._pos = pos + 1
            return _Token(_SYMBOL, ord(ch), 1)
        if ch >= "A" and ch not in _WHITE_SPACE:
            end = pos
            while end < len(text) and text[end] >= "A" and text[end] not in _WHITE_SPACE:
                end += 1
            self._pos = end
            return self._word(text[pos:end])
        if ch in _WHITE_SPACE or ch in _LINE_TERMINATORS:
            self._pos = pos + 1
            return _Token(_SPACE, 0, 1)
        if ch == "(":
            depth = 0
            while True:
                if text[pos] == ")":
                    depth -= 1
                elif text[pos] == "(":
                    depth += 1
                pos += 1
                if depth <= 0 or pos >= len(text):
                    break
            self._pos = pos
            return _Token(_UNKNOWN, 0, 1)
        self._pos = pos + 1
        return _Token(_UNKNOWN, 0, 1)

    @staticmethod
    def _word(word: str) -> _Token:
        # V8 lower-cases by setting bit 5, which only maps ASCII letters onto letters.
        prefix = "".join(chr(ord(ch) | 0x20) for ch in word[:3])
        meaning, value = _KEYWORDS.get(prefix, (_GARBAGE, 0))
        if meaning != _MONTH and len(word) > 3:
            meaning, value = _GARBAGE, 0
        return _Token(_WORD, value, utf16_length(word), meaning)

    def peek(self) -> _Token:
        return self._next

    def next(self) -> _Token:
        token = self._next
        self._next = self._scan()
        return token

    def skip_symbol(self, symbol: str) -> bool:
        if self._next.is_symbol(symbol):
            self._next = self._scan()
            return True
        return False


def _between(x: int, lo: int, hi: int) -> bool:
    return lo <= x <= hi


def _milliseconds(token: _Token) -> int:
    """The first three significant digits of a fraction, from its value and length."""
    number, length = token.value, token.length
    if length == 1:
        return number * 100
    if length == 2:
        return number * 10
    if length > 3:
        return number // 10 ** (min(length, _MAX_DIGITS) - 3)
    return number


@dataclass
class _Day:
    parts: list[int] = field(default_factory=list)
    named_month: int = _NONE
    iso: bool = False

    def add(self, n: int) -> bool:
        if len(self.parts) >= 3:
            return False
        self.parts.append(n)
        return True

    def resolve(self) -> tuple[int, int, int] | None:
        """(year, month 1-12, day) or None, following V8's ordering guesses."""
        if not self.parts:
            return None
        # V8 pads missing components with 1 before choosing an order, so a
        # lone "Jan 5" or "5/6" takes year 1, read as 2001.
        comp = self.parts + [1] * (3 - len(self.parts))
        if self.named_month == _NONE:
            if self.iso or not _between(comp[0], 1, 31):
                year, month, day = comp
            else:
                month, day, year = comp
        else:
            month = self.named_month
            if not _between(comp[0], 1, 31):
                year, day = comp[0], comp[1]
            else:
                day, year = comp[0], comp[1]
        if not self.iso:
            if _between(year, 0, 49):
                year += 2000
            elif _between(year, 50, 99):
                year += 1900
        if not _between(month, 1, 12) or not _between(day, 1, 31):
            return None
        return year, month, day


@dataclass
class _Time:
    parts: list[int] = field(default_factory=list)
    hour_offset: int = _NONE

    def empty(self) -> bool:
        return not self.parts

    def expecting(self, n: int) -> bool:
        index = len(self.parts)
        return (index in (1, 2) and _between(n, 0, 59)) or (index == 3 and _between(n, 0, 999))

    def add(self, n: int) -> bool:
        if len(self.parts) >= 4:
            return False
        self.parts.append(n)
        return True

    def add_final(self, n: int) -> bool:
        if not self.add(n):
            return False
        self.parts.extend([0] * (4 - len(self.parts)))
        return True

    def resolve(self) -> tuple[int, int, int, int] | None:
        hour, minute, second, ms = self.parts + [0] * (4 - len(self.parts))
        if self.hour_offset != _NONE:
            if not _between(hour, 0, 12):
                return None
            hour = hour % 12 + self.hour_offset
        in_range = _between(hour, 0, 23) and _between(minute, 0, 59) and _between(second, 0, 59)
        if not (in_range and _between(ms, 0, 999)) and (hour, minute, second, ms) != (24, 0, 0, 0):
            return None
        return hour, minute, second, ms


@dataclass
class _Zone:
    sign: int = _NONE
    hour: int = _NONE
    minute: int = _NONE

    def set_hours(self, offset_hours: int) -> None:
        self.sign = -1 if offset_hours < 0 else 1
        self.hour = abs(offset_hours)
        self.minute = 0

    def empty(self) -> bool:
        return self.hour == _NONE

    def is_utc(self) -> bool:
        return self.hour == 0 and self.minute == 0

    def expecting(self, n: int) -> bool:
        return self.hour != _NONE and self.minute == _NONE and _between(n, 0, 59)

    def offset_seconds(self) -> int | None:
        """Offset east of UTC in seconds; None when the string names no zone.

        Raises ValueError when V8 rejects the offset as too large.
        """
        if self.sign == _NONE:
            return None
        hour = 0 if self.hour == _NONE else self.hour
        minute = 0 if self.minute == _NONE else self.minute
        total = (hour * 3600 + minute * 60) % 2**32  # V8 computes this in unsigned 32-bit
        if total > _SMI_MAX:
            raise ValueError("offset too large")
        return -total if self.sign < 0 else total


def _parse_iso(scanner: _Scanner, day: _Day, time: _Time, zone: _Zone) -> _Token:
    """Read as much ES5 ISO syntax as possible; return the first token left for the legacy grammar."""
    if scanner.peek().is_sign():
        sign_token = scanner.next()
        if not scanner.peek().is_number(6):
            return sign_token
        year = scanner.next().value
        if sign_token.sign() < 0 and year == 0:
            return sign_token
        day.add(sign_token.sign() * year)
    elif scanner.peek().is_number(4):
        day.add(scanner.next().value)
    else:
        return scanner.next()
    if scanner.skip_symbol("-"):
        if not scanner.peek().is_number(2) or not _between(scanner.peek().value, 1, 12):
            return scanner.next()
        day.add(scanner.next().value)
        if scanner.skip_symbol("-"):
            if not scanner.peek().is_number(2) or not _between(scanner.peek().value, 1, 31):
                return scanner.next()
            day.add(scanner.next().value)
    peek = scanner.peek()
    if not (peek.kind == _WORD and peek.word == _T):
        if peek.kind != _END:
            return scanner.next()
    else:
        scanner.next()
        if not scanner.peek().is_number(2) or not _between(scanner.peek().value, 0, 24):
            return _INVALID_TOKEN
        hour_is_24 = scanner.peek().value == 24
        time.add(scanner.next().value)
        if not scanner.skip_symbol(":"):
            return _INVALID_TOKEN
        if not _two_digits(scanner, 59, hour_is_24):
            return _INVALID_TOKEN
        time.add(scanner.next().value)
        if scanner.skip_symbol(":"):
            if not _two_digits(scanner, 59, hour_is_24):
                return _INVALID_TOKEN
            time.add(scanner.next().value)
            if scanner.skip_symbol("."):
                if not scanner.peek().is_number() or (hour_is_24 and scanner.peek().value > 0):
                    return _INVALID_TOKEN
                time.add(_milliseconds(scanner.next()))
        if scanner.peek().is_zone_z():
            scanner.next()
            zone.set_hours(0)
        elif scanner.peek().is_sign():
            zone.sign = scanner.next().sign()
            if scanner.peek().is_number(4):
                hour, minute = divmod(scanner.next().value, 100)
                if not _between(hour, 0, 23) or not _between(minute, 0, 59):
                    return _INVALID_TOKEN
                zone.hour, zone.minute = hour, minute
            else:
                if not scanner.peek().is_number(2) or not _between(scanner.peek().value, 0, 23):
                    return _INVALID_TOKEN
                zone.hour = scanner.next().value
                if not scanner.skip_symbol(":"):
                    return _INVALID_TOKEN
                if not scanner.peek().is_number(2) or not _between(scanner.peek().value, 0, 59):
                    return _INVALID_TOKEN
                zone.minute = scanner.next().value
        if scanner.peek().kind != _END:
            return _INVALID_TOKEN
    if zone.empty() and time.empty():
        zone.set_hours(0)
    day.iso = True
    return _END_TOKEN


def _two_digits(scanner: _Scanner, highest: int, hour_is_24: bool) -> bool:
    peek = scanner.peek()
    return peek.is_number(2) and _between(peek.value, 0, highest) and not (hour_is_24 and peek.value > 0)


def _parse_legacy(scanner: _Scanner, token: _Token, day: _Day, time: _Time, zone: _Zone) -> bool:
    """The lenient grammar V8 applies to whatever the ISO reader left over."""
    has_read_number = bool(day.parts)
    while token.kind != _END:
        if token.kind == _NUMBER:
            has_read_number = True
            n = token.value
            if scanner.skip_symbol(":"):
                if scanner.skip_symbol(":"):
                    if not time.empty():
                        return False
                    time.add(n)
                    time.add(0)
                else:
                    if not time.add(n):
                        return False
                    if scanner.peek().is_symbol("."):
                        scanner.next()
            elif scanner.skip_symbol(".") and time.expecting(n):
                time.add(n)
                if not scanner.peek().is_number():
                    return False
                time.add_final(_milliseconds(scanner.next()))
            elif zone.expecting(n):
                zone.minute = n
            elif time.expecting(n):
                time.add_final(n)
                peek = scanner.peek()
                if peek.kind not in (_END, _SPACE) and not peek.is_zone_z() and not peek.is_sign():
                    return False
            else:
                if not day.add(n):
                    return False
                scanner.skip_symbol("-")
        elif token.kind == _WORD:
            if token.word == _AMPM and not time.empty():
                time.hour_offset = token.value
            elif token.word == _MONTH:
                day.named_month = token.value
                scanner.skip_symbol("-")
            elif token.word == _ZONE and has_read_number:
                zone.set_hours(token.value)
            else:
                if has_read_number or scanner.peek().is_number():
                    return False
        elif token.is_sign() and (zone.is_utc() or not time.empty()):
            zone.sign = token.sign()
            n = length = 0
            if scanner.peek().is_number():
                number = scanner.next()
                n, length = number.value, number.length
            has_read_number = True
            if scanner.peek().is_symbol(":"):
                zone.hour, zone.minute = n, _NONE
            elif length in (1, 2):
                zone.hour, zone.minute = n, 0
            elif length in (3, 4):
                zone.hour, zone.minute = divmod(n, 100)
            else:
                return False
        elif (token.is_sign() or token.is_symbol(")")) and has_read_number:
            return False
        token = scanner.next()
    return True


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (month 1-12, day may overflow)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468 + day - 1


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month 1-12, day) of the day ``days`` after 1970-01-01 (inverse of :func:`days_from_civil`)."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def time_clip(ms: float) -> float | None:
    """ECMAScript ``TimeClip``: whole milliseconds, or None (an Invalid Date) when NaN or out of range."""
    if ms != ms or abs(ms) > MAX_TIME_MS:
        return None
    return float(math.trunc(ms)) + 0.0


def date_value(value: Any) -> float | None:
    """``new Date(value).getTime()`` for a JSON value or ``undefined`` (None for an Invalid Date).

    Strings are parsed, arrays and objects become strings first, and
    numbers, booleans, ``null`` and ``undefined`` are read as milliseconds
    since the epoch.
    """
    if isinstance(value, (bool, int, float)) or value is None or value is UNDEFINED:
        return time_clip(to_number(value))
    parsed = parse_date_string(value if isinstance(value, str) else to_js_string(value))
    return None if parsed is None else float(parsed)


def accepts_date_string(text: str) -> bool:
    """Whether ``new Date(text)`` is a valid date (fast for the usual ISO timestamps)."""
    return PLAIN_ISO_TIMESTAMP.fullmatch(text) is not None or parse_date_string(text) is not None


def parse_date_string(text: str) -> int | None:
    """Milliseconds since the epoch that ``new Date(text)`` holds, or None for an Invalid Date."""
    scanner = _Scanner(text)
    day, time, zone = _Day(), _Time(), _Zone()
    token = _parse_iso(scanner, day, time, zone)
    if token.kind == _INVALID:
        return None
    if not _parse_legacy(scanner, token, day, time, zone):
        return None
    ymd = day.resolve()
    hms = time.resolve()
    if ymd is None or hms is None:
        return None
    try:
        offset = zone.offset_seconds()
    except ValueError:
        return None
    year, month, dom = ymd
    if not -1_000_000 <= year <= 1_000_000:
        return None
    hour, minute, second, ms = hms
    value = days_from_civil(year, month, dom) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms
    if offset is not None:
        value -= offset * 1000
    if abs(value) > MAX_TIME_MS:
        return None
    return value
