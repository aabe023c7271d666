"""Small pure helpers for the values Cordial stores: ids, times, emails, JSON text."""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from mock_cordial.models.errors import InvalidInput

__all__ = [
    "new_contact_id",
    "now_iso",
    "format_timestamp",
    "parse_datetime",
    "iso_seconds",
    "normalize_email",
    "scalar_text",
    "is_whole",
    "to_json",
    "from_json",
    "positive_int",
]

_counter_lock = threading.Lock()
_counter = int.from_bytes(os.urandom(3), "big")


def new_contact_id() -> str:
    """A 24-hex-digit contact id shaped like Cordial's (MongoDB ObjectId: time, random, counter)."""
    global _counter
    with _counter_lock:
        _counter = (_counter + 1) & 0xFFFFFF
        count = _counter
    return f"{int(time.time()):08x}{os.urandom(5).hex()}{count:06x}"


#: second -> "YYYY-MM-DDTHH:MM:SS." for the seconds seen lately (now, and the times events carry).
_SECOND_PREFIXES: dict[int, str] = {}
_SECONDS_KEPT = 512


def format_timestamp(ts: float) -> str:
    """Unix seconds as ISO 8601 UTC with milliseconds, the way Segment timestamps look."""
    # Whole milliseconds first: 0.12 s is 119.99999 ms in binary floating point.
    second, millis = divmod(round(ts * 1000), 1000)
    prefix = _SECOND_PREFIXES.get(second)
    if prefix is None:
        prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        if len(_SECOND_PREFIXES) >= _SECONDS_KEPT:
            _SECOND_PREFIXES.clear()
        _SECOND_PREFIXES[second] = prefix
    return f"{prefix}{millis:03d}Z"


def now_iso() -> str:
    """The current time, formatted like every time the mock returns."""
    return format_timestamp(time.time())


_WHOLE = re.compile(r"^[0-9]+$")
_DIGITS = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_MILLISECONDS_FROM = 1e11  # as seconds that is the year 5138
_MIN_TS = -62135596800.0  # 0001-01-01
_MAX_TS = 253402300799.0  # 9999-12-31T23:59:59


def parse_datetime(value: Any) -> tuple[str, float] | None:
    """Read a date the way production's lenient "date-like" values arrive.

    ISO 8601 strings, RFC 2822 strings, numbers (Unix seconds, or milliseconds
    when that large) and all-digit strings (Unix seconds) give ``(normalized
    ISO text, unix seconds)``; anything else gives ``None`` so the caller can
    keep the text as sent.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        ts = float(value)
        if abs(ts) >= _MILLISECONDS_FROM:
            ts /= 1000  # a number this large is milliseconds (JavaScript's Date.now())
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _DIGITS.match(text):
            ts = float(text)
        else:
            moment = _parse_text_date(text)
            if moment is None:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            try:
                ts = moment.timestamp()
            except (OverflowError, ValueError, OSError):
                return None
    else:
        return None
    if not math.isfinite(ts) or not _MIN_TS <= ts <= _MAX_TS:
        return None
    return format_timestamp(ts), ts


#: An ISO 8601 date or date-time that exists on the calendar (the REST contract's ``DateTimeFilter``).
_ISO_VALID = re.compile(
    r"(?:(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)"
    r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?"
)
_ISO_PARTS = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:.([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
    r"(Z|([+-])([0-9]{2}):?([0-9]{2}))?)?"
)
_EPOCH = datetime(1970, 1, 1)


def iso_seconds(text: str) -> float | None:
    """Unix seconds of an ISO 8601 date or date-time that exists on the calendar, else None.

    Every value the REST contract's ``DateTimeFilter`` admits is read, also
    those whose offset moves them outside years 1 to 9999 (the arithmetic is
    done on the local time, which always exists). No offset means UTC.
    """
    if _ISO_VALID.fullmatch(text) is None:
        return None
    year, month, day, hour, minute, second, fraction, zone, sign, zone_h, zone_m = _ISO_PARTS.fullmatch(
        text
    ).groups()
    local = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    seconds = (local - _EPOCH) / timedelta(seconds=1)
    if fraction:
        seconds += float("0." + fraction[:9])
    if sign:
        offset = int(zone_h) * 3600 + int(zone_m) * 60
        seconds += -offset if sign == "+" else offset
    return seconds


def _parse_text_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%m/%d/%Y", "%b %d %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def normalize_email(address: str) -> str:
    """Cordial matches email addresses without regard to case or surrounding spaces."""
    return address.strip().lower()


def scalar_text(value: Any) -> str | None:
    """The text a scalar identifier matches by (``123`` and ``"123"`` are the same key)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return None


def is_whole(value: Any) -> bool:
    """A JSON number with no fractional part (``2`` and ``2.0``; not ``true``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


_COMPACT = json.JSONEncoder(separators=(",", ":"))


def to_json(value: Any) -> str:
    """Compact JSON text for storage (and for answers)."""
    return _COMPACT.encode(value)


def from_json(text: str) -> Any:
    return json.loads(text)


def positive_int(text: str | None, default: int, name: str, maximum: int | None = None) -> int:
    """A paging parameter: a whole number from 1 (to ``maximum`` when given; huge values saturate)."""
    if text is None or text == "":
        return default
    digits = text.lstrip("0")
    if not _WHOLE.match(text) or not digits:
        raise InvalidInput(f"{name} must be a whole number of at least 1, got {text[:40]!r}")
    number = int(digits) if len(digits) <= 18 else 10**18
    if maximum is not None and number > maximum:
        raise InvalidInput(f"{name} must be at most {maximum}, got {text[:40]}")
    return number
