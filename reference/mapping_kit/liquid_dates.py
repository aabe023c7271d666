"""Dates for the Liquid ``date`` filters, as production's Node.js reads and prints them.

liquidjs turns the value into a JavaScript ``Date`` (numbers and all-digit
strings are Unix seconds, other strings go through V8's date parser) and
formats it with its own ``strftime``.  Production runs in UTC with the en-US
locale, so "local time" here is UTC.  The parser below follows V8's: an ISO
8601 fast path, then the permissive legacy grammar (``Jan 2 2020``,
``01/02/2020``, ``Thu, 01 Jan 1970 00:00:00 GMT``, ``2020-01-02 03:04:05``...).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .js import UNDEFINED, to_js_string, to_number

__all__ = ["LiquidMoment", "parse_liquid_date", "format_date", "parse_date_string", "LiquidDateError"]

_MAX_TIME_MS = 8.64e15
_MS_PER_DAY = 86_400_000

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]  # fmt: skip
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


class LiquidDateError(Exception):
    """A date argument production rejects (an unknown time zone name)."""


@dataclass(frozen=True)
class _Shown:
    """Calendar fields of an instant as displayed (any year JavaScript dates allow)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    millisecond: int
    weekday: int  # 0 = Sunday
    day_of_year: int


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


@dataclass(frozen=True)
class LiquidMoment:
    """A ``LiquidDate``: an instant plus the offset it is displayed in (minutes west of UTC)."""

    epoch_ms: float
    offset_minutes: float
    zone_name: str
    zone_fixed: bool

    def shown(self) -> _Shown:
        shifted = int(self.epoch_ms - self.offset_minutes * 60_000)
        days, in_day = divmod(shifted, _MS_PER_DAY)
        year, month, day = _civil_from_days(days)
        first_of_year = _days_from_civil(year, 1, 1)
        return _Shown(
            year=year,
            month=month,
            day=day,
            hour=in_day // 3_600_000,
            minute=in_day // 60_000 % 60,
            second=in_day // 1000 % 60,
            millisecond=in_day % 1000,
            weekday=(days + 4) % 7,
            day_of_year=days - first_of_year + 1,
        )


# --- V8's date parser ---------------------------------------------------------

_KEYWORDS: list[tuple[str, str, int]] = [
    *((name[:3].lower(), "month", index + 1) for index, name in enumerate(_MONTHS)),
    ("am", "ampm", 0), ("pm", "ampm", 12), ("ut", "zone", 0), ("utc", "zone", 0), ("z", "zone", 0),
    ("gmt", "zone", 0), ("cdt", "zone", -5), ("cst", "zone", -6), ("edt", "zone", -4), ("est", "zone", -5),
    ("mdt", "zone", -6), ("mst", "zone", -7), ("pdt", "zone", -7), ("pst", "zone", -8), ("t", "time", 0),
]  # fmt: skip


@dataclass
class _Token:
    kind: str  # number, symbol, word, space, unknown, end
    value: Any = None
    length: int = 0
    word_type: str | None = None


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    size = len(text)
    while index < size:
        char = text[index]
        if "0" <= char <= "9":
            start = index
            while index < size and text[index] == "0":
                index += 1
            significant = index
            number = 0
            while index < size and "0" <= text[index] <= "9":
                if index - significant < 9:
                    number = number * 10 + ord(text[index]) - 48
                index += 1
            tokens.append(_Token("number", number, index - start))
        elif char in ":-+.)":
            tokens.append(_Token("symbol", char))
            index += 1
        elif char >= "A" and not char.isspace():
            start = index
            while index < size and text[index] >= "A" and not text[index].isspace():
                index += 1
            word = text[start:index]
            prefix = word[:3].lower()
            found = next(
                (
                    (kind, value)
                    for key, kind, value in _KEYWORDS
                    if key == prefix and (len(word) <= 3 or kind == "month")
                ),
                (None, 0),
            )
            tokens.append(_Token("word", found[1], len(word), found[0]))
        elif char.isspace():
            while index < size and text[index].isspace():
                index += 1
            tokens.append(_Token("space"))
        elif char == "(":
            depth = 0
            while index < size:
                if text[index] == "(":
                    depth += 1
                elif text[index] == ")":
                    depth -= 1
                    if depth == 0:
                        index += 1
                        break
                index += 1
            tokens.append(_Token("unknown"))
        else:
            index += 1
            tokens.append(_Token("unknown"))
    return tokens


class _Scanner:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> _Token:
        return self.tokens[self.position] if self.position < len(self.tokens) else _Token("end")

    def next(self) -> _Token:
        token = self.peek()
        self.position += 1
        return token

    def skip_symbol(self, symbol: str) -> bool:
        token = self.peek()
        if token.kind == "symbol" and token.value == symbol:
            self.position += 1
            return True
        return False


def _fixed(token: _Token, length: int) -> bool:
    return token.kind == "number" and token.length == length


def _is_sign(token: _Token) -> bool:
    return token.kind == "symbol" and token.value in "+-"


def _is_z(token: _Token) -> bool:
    return token.kind == "word" and token.word_type == "zone" and token.length == 1


def _milliseconds(token: _Token) -> int:
    number, length = token.value, token.length
    if length == 1:
        return number * 100
    if length == 2:
        return number * 10
    length = min(length, 9)
    while length > 3:
        number //= 10
        length -= 1
    return number


class _Parts:
    def __init__(self) -> None:
        self.day: list[int] = []
        self.named_month: int | None = None
        self.iso = False
        self.time: list[int] = []
        self.hour_offset: int | None = None
        self.tz_sign: int | None = None
        self.tz_hour: int | None = None
        self.tz_minute: int | None = None

    def add_day(self, number: int) -> bool:
        if len(self.day) == 3:
            return False
        self.day.append(number)
        return True

    def add_time(self, number: int) -> bool:
        if len(self.time) == 4:
            return False
        self.time.append(number)
        return True

    def add_final_time(self, number: int) -> bool:
        if not self.add_time(number):
            return False
        while len(self.time) < 4:
            self.time.append(0)
        return True

    def time_expects(self, number: int) -> bool:
        index = len(self.time)
        return (
            (index == 1 and 0 <= number <= 59)
            or (index == 2 and 0 <= number <= 59)
            or (index == 3 and 0 <= number <= 999)
        )

    def zone_expects(self, number: int) -> bool:
        return self.tz_hour is not None and self.tz_minute is None and 0 <= number <= 59

    def set_zone(self, hours: int) -> None:
        self.tz_sign = -1 if hours < 0 else 1
        self.tz_hour = abs(hours)
        self.tz_minute = 0


def _parse_iso(scanner: _Scanner, parts: _Parts) -> _Token | None:
    """V8's ES5 ISO fast path; returns the first token left for the legacy grammar (None: invalid)."""
    if _is_sign(scanner.peek()):
        sign_token = scanner.next()
        if not _fixed(scanner.peek(), 6):
            return sign_token
        sign = 1 if sign_token.value == "+" else -1
        year = scanner.next().value
        if sign < 0 and year == 0:
            return sign_token
        parts.add_day(sign * year)
    elif _fixed(scanner.peek(), 4):
        parts.add_day(scanner.next().value)
    else:
        return scanner.next()
    if scanner.skip_symbol("-"):
        if not _fixed(scanner.peek(), 2) or not 1 <= scanner.peek().value <= 12:
            return scanner.next()
        parts.add_day(scanner.next().value)
        if scanner.skip_symbol("-"):
            if not _fixed(scanner.peek(), 2) or not 1 <= scanner.peek().value <= 31:
                return scanner.next()
            parts.add_day(scanner.next().value)
    peek = scanner.peek()
    if not (peek.kind == "word" and peek.word_type == "time"):
        if peek.kind != "end":
            return scanner.next()
    else:
        scanner.next()
        if not _fixed(scanner.peek(), 2) or not 0 <= scanner.peek().value <= 24:
            return None
        hour_is_24 = scanner.peek().value == 24
        parts.add_time(scanner.next().value)
        if not scanner.skip_symbol(":"):
            return None
        if (
            not _fixed(scanner.peek(), 2)
            or not 0 <= scanner.peek().value <= 59
            or (hour_is_24 and scanner.peek().value > 0)
        ):
            return None
        parts.add_time(scanner.next().value)
        if scanner.skip_symbol(":"):
            if (
                not _fixed(scanner.peek(), 2)
                or not 0 <= scanner.peek().value <= 59
                or (hour_is_24 and scanner.peek().value > 0)
            ):
                return None
            parts.add_time(scanner.next().value)
            if scanner.skip_symbol("."):
                if scanner.peek().kind != "number" or (hour_is_24 and scanner.peek().value > 0):
                    return None
                parts.add_time(_milliseconds(scanner.next()))
        if _is_z(scanner.peek()):
            scanner.next()
            parts.set_zone(0)
        elif _is_sign(scanner.peek()):
            parts.tz_sign = 1 if scanner.next().value == "+" else -1
            if _fixed(scanner.peek(), 4):
                hour, minute = divmod(scanner.next().value, 100)
                if not 0 <= hour <= 23 or not 0 <= minute <= 59:
                    return None
                parts.tz_hour, parts.tz_minute = hour, minute
            else:
                if not _fixed(scanner.peek(), 2) or not 0 <= scanner.peek().value <= 23:
                    return None
                parts.tz_hour = scanner.next().value
                if not scanner.skip_symbol(":"):
                    return None
                if not _fixed(scanner.peek(), 2) or not 0 <= scanner.peek().value <= 59:
                    return None
                parts.tz_minute = scanner.next().value
        if scanner.peek().kind != "end":
            return None
    if parts.tz_hour is None and not parts.time:
        parts.set_zone(0)
    parts.iso = True
    return _Token("end")


def _parse_legacy(scanner: _Scanner, parts: _Parts, token: _Token) -> bool:
    has_number = bool(parts.day)
    while token.kind != "end":
        if token.kind == "number":
            has_number = True
            number = token.value
            if scanner.skip_symbol(":"):
                if scanner.skip_symbol(":"):
                    if parts.time:
                        return False
                    parts.add_time(number)
                    parts.add_time(0)
                else:
                    if not parts.add_time(number):
                        return False
                    if scanner.peek().kind == "symbol" and scanner.peek().value == ".":
                        scanner.next()
            elif scanner.skip_symbol(".") and parts.time_expects(number):
                parts.add_time(number)
                if scanner.peek().kind != "number":
                    return False
                parts.add_final_time(_milliseconds(scanner.next()))
            elif parts.zone_expects(number):
                parts.tz_minute = number
            elif parts.time_expects(number):
                parts.add_final_time(number)
                peek = scanner.peek()
                if peek.kind not in ("end", "space") and not _is_z(peek) and not _is_sign(peek):
                    return False
            else:
                if not parts.add_day(number):
                    return False
                scanner.skip_symbol("-")
        elif token.kind == "word":
            if token.word_type == "ampm" and parts.time:
                parts.hour_offset = token.value
            elif token.word_type == "month":
                parts.named_month = token.value
                scanner.skip_symbol("-")
            elif token.word_type == "zone" and has_number:
                parts.set_zone(token.value)
            else:
                if has_number or scanner.peek().kind == "number":
                    return False
        elif _is_sign(token) and ((parts.tz_hour == 0 and parts.tz_minute == 0) or parts.time):
            parts.tz_sign = 1 if token.value == "+" else -1
            number, length = 0, 0
            if scanner.peek().kind == "number":
                following = scanner.next()
                number, length = following.value, following.length
            has_number = True
            if scanner.peek().kind == "symbol" and scanner.peek().value == ":":
                parts.tz_hour, parts.tz_minute = number, None
            elif length in (1, 2):
                parts.tz_hour, parts.tz_minute = number, 0
            elif length in (3, 4):
                parts.tz_hour, parts.tz_minute = number // 100, number % 100
            else:
                return False
        elif (_is_sign(token) or (token.kind == "symbol" and token.value == ")")) and has_number:
            return False
        token = scanner.next()
    return True


def _days_from_civil(year: int, month: int, day: int) -> int:
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _compose(parts: _Parts) -> float | None:
    if not parts.day:
        return None
    day_parts = parts.day + [1] * (3 - len(parts.day))
    if parts.named_month is None:
        if parts.iso or not 1 <= day_parts[0] <= 31:
            year, month, day = day_parts
        else:
            month, day, year = day_parts
    else:
        month = parts.named_month
        if not 1 <= day_parts[0] <= 31:
            year, day = day_parts[0], day_parts[1]
        else:
            day, year = day_parts[0], day_parts[1]
    if not parts.iso:
        if 0 <= year <= 49:
            year += 2000
        elif 50 <= year <= 99:
            year += 1900
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    time_parts = parts.time + [0] * (4 - len(parts.time))
    hour, minute, second, millisecond = time_parts
    if parts.hour_offset is not None:
        if not 0 <= hour <= 12:
            return None
        hour = hour % 12 + parts.hour_offset
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59 and 0 <= millisecond <= 999) and (
        hour != 24 or minute or second or millisecond
    ):
        return None
    days = _days_from_civil(year, month, 1) + day - 1
    ms = float(days) * _MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
    if parts.tz_sign is not None:
        offset = ((parts.tz_hour or 0) * 3600 + (parts.tz_minute or 0) * 60) * parts.tz_sign
        ms -= offset * 1000
    if abs(ms) > _MAX_TIME_MS:
        return None
    return float(math.trunc(ms))


def parse_date_string(text: str) -> float | None:
    """``Date.parse(text)`` in a UTC process: milliseconds since the epoch, or None."""
    scanner = _Scanner(_tokenize(text))
    parts = _Parts()
    rest = _parse_iso(scanner, parts)
    if rest is None:
        return None
    if not _parse_legacy(scanner, parts, rest):
        return None
    return _compose(parts)


def _time_clip(ms: float) -> float | None:
    if ms != ms or abs(ms) > _MAX_TIME_MS:
        return None
    return float(math.trunc(ms)) + 0.0


def _date_value(value: Any) -> float | None:
    """``new Date(value).getTime()`` for the values filters receive (None when invalid)."""
    if isinstance(value, str):
        return parse_date_string(value)
    if isinstance(value, (bool, int, float)) or value is None:
        return _time_clip(to_number(value))
    if isinstance(value, list):
        return parse_date_string(to_js_string(value))
    return None


def _zone_offset(name: str, epoch_ms: float) -> float:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise LiquidDateError(f"Invalid time zone specified: {name}") from error
    seconds = min(max(epoch_ms / 1000, -62135596800.0), 253402300799.0)
    offset = zone.utcoffset(datetime.fromtimestamp(seconds, tz=UTC))
    return -(offset.total_seconds() // 60) if offset is not None else 0.0


def _is_unix_seconds(value: Any) -> bool:
    """Numbers and all-digit strings are seconds since the epoch."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (
        isinstance(value, str) and re.fullmatch(r"[0-9]+", value) is not None
    )


def parse_liquid_date(value: Any, offset: Any) -> LiquidMoment | None:
    """liquidjs's ``parseDate``: None when the value is not a date (the filter then returns it)."""
    if value is None or value is UNDEFINED:
        return None
    if value in ("now", "today"):
        epoch: float | None = float(math.floor(time.time() * 1000))
    elif _is_unix_seconds(value):
        epoch = _time_clip(float(value) * 1000)
    else:
        epoch = _date_value(value)
    if epoch is None:
        return None
    if isinstance(offset, str):
        return LiquidMoment(epoch, _zone_offset(offset, epoch), offset, True)
    if offset is None or offset is UNDEFINED:
        return LiquidMoment(epoch, 0.0, "UTC", False)
    minutes = to_number(offset)
    if minutes != minutes:
        return None
    return LiquidMoment(epoch, minutes, "", True)


# --- strftime ----------------------------------------------------------------

_FORMAT = re.compile(r"%([-_0^#:]+)?(\d+)?([EO])?(.)")
_PAD_WIDTHS = {"C": 2, "d": 2, "e": 2, "H": 2, "I": 2, "j": 3, "k": 2, "l": 2, "L": 3, "m": 2, "M": 2, "S": 2,
               "U": 2, "W": 2, "y": 2, "Y": 4}  # fmt: skip
_PAD_WITH_SPACE = set("aAbBceklpP")


def _offset_text(moment: LiquidMoment, colon: bool) -> str:
    offset = moment.offset_minutes
    absolute = abs(offset)
    hours, minutes = int(absolute // 60), int(absolute % 60)
    return ("-" if offset > 0 else "+") + f"{hours:02d}" + (":" if colon else "") + f"{minutes:02d}"


def _locale_date(shown: _Shown) -> str:
    return f"{shown.month}/{shown.day}/{shown.year}"


def _locale_time(shown: _Shown) -> str:
    hour = shown.hour % 12 or 12
    return f"{hour}:{shown.minute:02d}:{shown.second:02d} {'AM' if shown.hour < 12 else 'PM'}"


def _week_of_year(shown: _Shown, start_day: int) -> str:
    since_start = (shown.weekday - start_day + 7) % 7
    return str((shown.day_of_year - 1 - since_start + 7) // 7)


def _convert(code: str, moment: LiquidMoment, shown: _Shown, flags: str, width: str | None,
             use: Callable[[float], None]) -> str | None:  # fmt: skip
    weekday = shown.weekday
    year = shown.year
    values: dict[str, Callable[[], Any]] = {
        "a": lambda: _DAYS[weekday][:3],
        "A": lambda: _DAYS[weekday],
        "b": lambda: _MONTHS[shown.month - 1][:3],
        "h": lambda: _MONTHS[shown.month - 1][:3],
        "B": lambda: _MONTHS[shown.month - 1],
        "c": lambda: f"{_locale_date(shown)}, {_locale_time(shown)}",
        "C": lambda: year // 100,
        "d": lambda: shown.day,
        "e": lambda: shown.day,
        "H": lambda: shown.hour,
        "I": lambda: str(shown.hour % 12 or 12),
        "j": lambda: shown.day_of_year,
        "k": lambda: shown.hour,
        "l": lambda: str(shown.hour % 12 or 12),
        "L": lambda: shown.millisecond,
        "m": lambda: shown.month,
        "M": lambda: shown.minute,
        "N": lambda: _nanoseconds(shown, width, use),
        "p": lambda: "AM" if shown.hour < 12 else "PM",
        "P": lambda: "am" if shown.hour < 12 else "pm",
        "q": lambda: _ordinal(shown.day),
        "s": lambda: math.floor(moment.epoch_ms / 1000),
        "S": lambda: shown.second,
        "u": lambda: weekday or 7,
        "U": lambda: _week_of_year(shown, 0),
        "w": lambda: weekday,
        "W": lambda: _week_of_year(shown, 1),
        "x": lambda: _locale_date(shown),
        "X": lambda: _locale_time(shown),
        "y": lambda: (year % 100 + 100) % 100,
        "Y": lambda: year,
        "z": lambda: _offset_text(moment, ":" in flags),
        "Z": lambda: moment.zone_name or _offset_text(moment, ":" in flags),
        "t": lambda: "\t",
        "n": lambda: "\n",
        "%": lambda: "%",
    }
    produce = values.get(code)
    return None if produce is None else to_js_string(produce())


def _nanoseconds(shown: _Shown, width: str | None, use: Callable[[float], None]) -> str:
    size = int(width) if width and int(width) else 9
    text = f"{shown.millisecond:03d}"[:size]
    use(size - len(text))
    return text.ljust(size, "0")


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _change_case(text: str) -> str:
    return text.upper() if any("a" <= ch <= "z" for ch in text) else text.lower()


def format_date(moment: LiquidMoment, pattern: str, use: Callable[[float], None]) -> str:
    """liquidjs's ``strftime``."""
    shown = moment.shown()
    out: list[str] = []
    remaining = pattern
    while True:
        match = _FORMAT.search(remaining)
        if match is None:
            break
        out.append(remaining[: match.start()])
        remaining = remaining[match.end() :]
        flags, width, _, code = match.groups()
        flags = flags or ""
        text = _convert(code, moment, shown, flags, width, use)
        if text is None:
            out.append(match.group(0))
            continue
        pad_char = " " if code in _PAD_WITH_SPACE else "0"
        pad_width = int(width) if width and int(width) else _PAD_WIDTHS.get(code, 0)
        if "^" in flags:
            text = text.upper()
        elif "#" in flags:
            text = _change_case(text)
        if "_" in flags:
            pad_char = " "
        elif "0" in flags:
            pad_char = "0"
        if "-" in flags:
            pad_width = 0
        use(pad_width - len(text))
        if pad_char == "0" and text.startswith("-"):
            out.append("-" + text[1:].rjust(pad_width - 1, pad_char))
        else:
            out.append(text.rjust(pad_width, pad_char))
    out.append(remaining)
    return "".join(out)
