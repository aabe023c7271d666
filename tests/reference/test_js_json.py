"""Bodies are serialised as JSON.stringify would: these bytes go on the wire."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import js_json

# Figures printed by node's String(n) / JSON.stringify for the same inputs.
NODE_NUMBERS = [
    (1e21, "1e+21"),
    (1e20, "100000000000000000000"),
    (0.1, "0.1"),
    (-0.0, "0"),
    (1e16, "10000000000000000"),
    (1e-7, "1e-7"),
    (1.5e-6, "0.0000015"),
    (2.0, "2"),
    (2**60, "1152921504606847000"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (-123.456, "-123.456"),
]


@pytest.mark.parametrize(("value", "text"), NODE_NUMBERS)
def test_numbers_print_like_javascript(value: float, text: str) -> None:
    assert js_json.number_to_string(value) == text


def test_strings_escape_like_javascript() -> None:
    assert js_json.dumps({"a": "\u2028\ud800x\n\x7f\x01é"}) == '{"a":"\u2028\\ud800x\\n\x7f\\u0001é"}'


def test_loads_rejects_what_json_parse_rejects() -> None:
    with pytest.raises(ValueError):
        js_json.loads('{"a": NaN}')
    assert js_json.loads("12345678901234567890") == 1.2345678901234567e19


def test_integer_and_number_model() -> None:
    assert js_json.is_integer(2.0) and not js_json.is_integer(2.5) and not js_json.is_integer(True)
    assert not js_json.is_number(False) and js_json.is_number(0)
    assert [js_json.type_name(v) for v in (None, True, 1, "s", [], {})] == [
        "null",
        "boolean",
        "number",
        "string",
        "array",
        "object",
    ]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_round_trips(value: float) -> None:
    text = js_json.number_to_string(value)
    assert float(text) == value or (value == 0 and text == "0")
    assert "e" not in text or abs(value) >= 1e21 or abs(value) < 1e-6


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_dumps_is_valid_json_with_the_same_value(value) -> None:
    text = js_json.dumps(value)
    assert js_json.loads(text) == value or _has_surrogate_or_nan(value)


def _has_surrogate_or_nan(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list):
        return any(map(_has_surrogate_or_nan, value))
    if isinstance(value, dict):
        return any(map(_has_surrogate_or_nan, [*value, *value.values()]))
    return False
