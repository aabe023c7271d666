"""The ``date-like`` format of datetime fields, and the V8 date parser under it.

data/payload_schema_dates.jsonl holds production facts: ``Date.parse`` results
from Node for odd strings, and the verdicts of production's date-like check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.errors import PayloadValidationError
from reference.fields import Field
from reference.js_dates import parse_date_string
from reference.payload_schema import compile_payload_schema, is_date_like

DATA = Path(__file__).parent / "data" / "payload_schema_dates.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_date_parse_agrees_with_node() -> None:
    rows = [row for row in ROWS if "date_parse" in row]
    wrong = [(row["date_parse"], row["ms"], parse_date_string(row["date_parse"])) for row in rows]
    wrong = [entry for entry in wrong if entry[1] != entry[2]]
    assert len(rows) > 150
    assert not wrong, wrong[:5]


def test_date_like_agrees_with_production() -> None:
    rows = [row for row in ROWS if "date_like" in row]
    wrong = [row["date_like"] for row in rows if is_date_like(row["date_like"]) != row["valid"]]
    assert len(rows) > 100
    assert not wrong, wrong[:5]


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2024-01-02T03:04:05.678Z", True),
        ("2024-01-02T03:04:05+05:30", True),
        ("2024-01-02", True),
        ("2024/1/2 3:4", True),  # dayjs's own pattern
        ("2024-13-45", True),  # dayjs's pattern rolls the month and day over
        ("2024-13-45Z", False),  # ending in Z skips dayjs's pattern; V8 rejects month 13
        ("Tue, 02 Jan 2024 03:04:05 GMT", True),
        ("Jan 5", True),  # V8 reads it as 5 January 2001
        ("1700000000", True),  # Unix seconds
        ("1700000000000", True),  # 13 digits are read as seconds too, still in range
        ("17000000000000", False),  # seconds beyond the Date range
        ("8640000000000", True),
        ("8640000000001", False),
        ("-1", True),
        ("1e3", False),  # not written the way JavaScript prints 1000, so V8 parses it, and rejects it
        ("Infinity", False),
        ("NaN", False),
        ("", False),
        ("yesterday", False),
        ("2024-01-02T25:00:00Z", False),
    ],
)
def test_date_like_examples(text: str, valid: bool) -> None:
    assert is_date_like(text) is valid


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_iso_timestamps_are_always_date_like(moment: dt.datetime) -> None:
    text = moment.isoformat(timespec="milliseconds") + "Z"
    assert is_date_like(text)
    expected = (moment - dt.datetime(1970, 1, 1)) // dt.timedelta(milliseconds=1)
    assert parse_date_string(text) == expected


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_unix_seconds_strings_are_date_like(seconds: int) -> None:
    assert is_date_like(str(seconds))


# dayjs's REGEX_PARSE (JavaScript's \s is Unicode white space; \d is ASCII here).
DAYJS_PATTERN = re.compile(
    r"[0-9]{4}[-/]?([0-9]{1,2})?[-/]?[0-9]{0,2}[Tt\s\ufeff]*([0-9]{1,2})?:?([0-9]{1,2})?:?([0-9]{1,2})?[.:]?([0-9]+)?"
)


@given(st.text(alphabet="0123456789-/:.Tt \u00a0x", max_size=14))
def test_strings_dayjs_reads_itself_are_date_like(text: str) -> None:
    if DAYJS_PATTERN.fullmatch(text) and not text.endswith(("Z", "z")):
        assert is_date_like(text)


HOSTILE = ["1" * 200_000 + "x", "2024" + " " * 100_000 + "1" * 100_000 + "x", "(" * 200_000]


@pytest.mark.parametrize("text", HOSTILE, ids=["digits", "spaces-then-digits", "parentheses"])
def test_long_hostile_strings_are_judged_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    assert not is_date_like(text)
    assert time.perf_counter() - started < 5  # a backtracking matcher needs minutes here


def test_datetime_field_checks_strings_and_passes_numbers() -> None:
    schema = compile_payload_schema({"time": Field(label="Event timestamp", description="", type="datetime")})
    assert schema.process({"time": 1e300}) == {"time": 1e300}
    assert schema.process({"time": "2024-01-02"}) == {"time": "2024-01-02"}
    with pytest.raises(PayloadValidationError) as caught:
        schema.process({"time": "soon"})
    assert caught.value.message == "Event timestamp must be a valid date-like string but it was not."
    assert caught.value.errors[0]["keyword"] == "format"
