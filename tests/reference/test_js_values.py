"""The shared JavaScript semantics, on the edges where production's answers are surprising."""

from __future__ import annotations

import math

import pytest

from reference.js_values import string_to_number, to_js_string, utf16_length
from reference.mapping_kit import transform


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0x" + "f" * 300, math.inf),  # Number() of a huge hex literal, as node prints it
        ("1" * 400, math.inf),
        ("  12  ", 12),
        ("0b101", 5),
        ("", 0),
        ("1e", math.nan),
    ],
)
def test_number_of_strings_like_node(text: str, number: float) -> None:
    result = string_to_number(text)
    assert (math.isnan(result) and math.isnan(number)) or result == number


def test_string_of_huge_integers_is_infinity_not_a_crash() -> None:
    assert to_js_string(10**400) == "Infinity"


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("a😀") == 3


@pytest.mark.parametrize(("date", "day"), [("0000-12-31T00:00:00Z", "365"), ("2024-12-31T00:00:00Z", "366")])
def test_liquid_day_of_year_uses_liquidjs_leap_years(date: str, day: str) -> None:
    # liquidjs calls year 0 a common year (production answers 365 for 0000-12-31).
    assert transform({"d": {"@liquid": f'{{{{ "{date}" | date: "%j" }}}}'}}, {}) == {"d": day}
