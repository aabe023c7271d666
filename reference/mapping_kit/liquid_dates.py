"""Dates for the Liquid ``date`` filters, as production's Node.js reads and prints them.

liquidjs turns the value into a JavaScript ``Date`` (numbers and all-digit
strings are Unix seconds, anything else is ``new Date(value)``, see
:mod:`reference.js_dates`) and formats it with its own ``strftime``.
Production runs in UTC with the en-US locale, so "local time" here is UTC.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reference.js_dates import MS_PER_DAY, civil_from_days, date_value, days_from_civil, time_clip
from reference.js_json import UNDEFINED
from reference.js_values import to_js_string, to_number

__all__ = ["LiquidMoment", "parse_liquid_date", "format_date", "LiquidDateError"]

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


@dataclass(frozen=True)
class LiquidMoment:
    """A ``LiquidDate``: an instant plus the offset it is displayed in (minutes west of UTC)."""

    epoch_ms: float
    offset_minutes: float
    zone_name: str
    zone_fixed: bool

    def shown(self) -> _Shown:
        shifted = int(self.epoch_ms - self.offset_minutes * 60_000)
        days, in_day = divmod(shifted, MS_PER_DAY)
        year, month, day = civil_from_days(days)
        first_of_year = days_from_civil(year, 1, 1)
        # liquidjs counts the day of the year with its own leap-year test, which
        # calls year 0 common: after February it is one day behind the calendar.
        day_of_year = days - first_of_year + 1 - (year == 0 and month > 2)
        return _Shown(
            year=year,
            month=month,
            day=day,
            hour=in_day // 3_600_000,
            minute=in_day // 60_000 % 60,
            second=in_day // 1000 % 60,
            millisecond=in_day % 1000,
            weekday=(days + 4) % 7,
            day_of_year=day_of_year,
        )


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
        epoch = time_clip(to_number(value) * 1000)
    else:
        epoch = date_value(value)
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
