"""Coercion, cleaning and failure modes of payload validation, on synthetic fields.

The model below restates AJV's documented ``coerceTypes: "array"`` table; the
property tests compare the compiled schemas against it and check invariants a
user relies on (nothing empty survives where it is forbidden, bad input only
ever raises PayloadValidationError).
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.errors import PayloadValidationError
from reference.fields import Field
from reference.js_json import dumps, number_to_string
from reference.payload_schema import compile_payload_schema

FIELD_TYPES = ("string", "integer", "number", "boolean", "datetime", "object")
ERROR = "error"


def one_field(field_type: str, **options: Any) -> Any:
    return compile_payload_schema({"x": Field(label="X", description="", type=field_type, **options)})


SCHEMAS = {field_type: one_field(field_type) for field_type in FIELD_TYPES}

# Strings whose JavaScript numeric value is known independently of the code under test.
KNOWN_NUMERIC_STRINGS = {
    " 42 ": 42,
    "\t7\n": 7,
    "0x1F": 31,
    "0b101": 5,
    "0o17": 15,
    "+5": 5,
    ".5": 0.5,
    "5.": 5,
    "1e3": 1000,
    "-0": 0,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
    " ": 0,
}
NON_NUMERIC_STRINGS = ["", "abc", "1_000", "0x", "1e", "--1", "NaN", "١٢", "1,5", "12px", "inf", "+0x10"]
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def js_number_of(text: str) -> float | None:
    """Number(text) for the strings this test generates; None for NaN."""
    if text in KNOWN_NUMERIC_STRINGS:
        return float(KNOWN_NUMERIC_STRINGS[text])
    if not text.strip(" "):
        return 0.0  # Number() of blank text is 0
    if _DECIMAL.fullmatch(text):
        return float(text)
    return None


def model(target: str, value: Any) -> Any:
    """AJV's coercion table for one scalar field (ERROR when AJV reports a type error)."""
    if isinstance(value, list):
        if len(value) != 1:
            return ERROR
        inner = value[0]
        if target in ("string", "integer", "number", "boolean") and not isinstance(inner, (list, dict)):
            return model(target, inner)
        return ERROR
    if target == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            if math.isfinite(value):
                return number_to_string(value)
            return "Infinity" if value > 0 else "-Infinity"
        return "" if value is None else ERROR
    if target in ("number", "integer"):
        if isinstance(value, bool):
            return int(value)
        if value is None:
            return 0
        if isinstance(value, (int, float)):
            finite = math.isfinite(value)
            return value if finite and (target == "number" or float(value).is_integer()) else ERROR
        if isinstance(value, str) and value:
            number = js_number_of(value)
            if number is None:
                return ERROR
            if target == "integer" and math.isfinite(number) and not number.is_integer():
                return ERROR
            return number
        return ERROR
    if target == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("false", None) or (not isinstance(value, str) and value == 0):
            return False
        if value == "true" or (not isinstance(value, str) and value == 1):
            return True
        return ERROR
    raise AssertionError(target)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False),
    st.sampled_from(sorted(KNOWN_NUMERIC_STRINGS) + NON_NUMERIC_STRINGS + ["true", "false"]),
    st.from_regex(_DECIMAL, fullmatch=True),
    st.text(alphabet="abcxyz ", max_size=5),
)
values = st.one_of(
    scalars, st.lists(scalars, max_size=2), st.dictionaries(st.text(max_size=2), scalars, max_size=2)
)


def outcome(schema: Any, value: Any) -> Any:
    try:
        return schema.validate({"x": value})["x"]
    except PayloadValidationError:
        return ERROR


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("target", ["string", "integer", "number", "boolean"])
@given(value=values)
def test_coercion_follows_ajvs_table(target: str, value: Any) -> None:
    expected = model(target, value)
    got = outcome(SCHEMAS[target], value)
    assert same(got, expected), f"{target} <- {value!r}: got {got!r}, AJV table says {expected!r}"


@pytest.mark.parametrize(
    ("field_type", "value", "expected"),
    [
        ("string", 123, "123"),
        ("string", 1e21, "1e+21"),
        ("string", 2.0, "2"),
        ("string", [5], "5"),
        ("string", ["a", "b"], ERROR),
        ("integer", "2", 2),
        ("integer", "2.5", ERROR),
        ("integer", "2.0", 2),
        ("integer", 2.0, 2.0),
        ("integer", ["7"], 7),
        ("number", "9.99", 9.99),
        ("number", "Infinity", math.inf),
        ("number", True, 1),
        ("datetime", 1700000000, 1700000000),
        ("datetime", ["123"], 123),
        ("datetime", [5], "5"),
        ("datetime", ["2020-01-01"], ERROR),
        ("datetime", True, ERROR),
        ("object", [{"a": 1}], ERROR),
        ("object", {"a": None}, {"a": None}),
    ],
)
def test_coercion_examples(field_type: str, value: Any, expected: Any) -> None:
    assert same(outcome(SCHEMAS[field_type], value), expected)


def test_multiple_fields_wrap_scalars_and_coerce_items() -> None:
    schema = one_field("integer", multiple=True)
    assert schema.process({"x": "3"}) == {"x": [3]}
    assert schema.process({"x": ["1", 2, None, ""]}) == {"x": [1, 2]}
    with pytest.raises(PayloadValidationError) as caught:
        schema.process({"x": ["a"]})
    assert caught.value.message == "The value at /x/0 must be an integer but it was a string."


def test_allow_null_keeps_null_and_turns_empty_string_into_null() -> None:
    schema = one_field("string", allow_null=True)
    assert schema.process({"x": None}) == {"x": None}
    assert schema.validate({"x": [""]}) == {"x": None}


def test_choices_and_bounds_use_productions_wording() -> None:
    schema = compile_payload_schema(
        {
            "kind": Field(label="Kind", description="", type="string", choices=("a", "b", "c")),
            "code": Field(label="Code", description="", type="string", extra={"minimum": 2, "maximum": 3}),
            "level": Field(label="Level", description="", type="number", extra={"minimum": 1, "maximum": 5}),
        }
    )
    with pytest.raises(PayloadValidationError) as caught:
        schema.process({"kind": "d", "code": "😀😀😀😀", "level": "7"})
    assert caught.value.message == (
        'Kind must be one of: "a", "b", or "c". '
        "Code must be 3 characters or fewer but it was 8 characters. "
        "Level must be equal to or less than 5."
    )


def test_dynamic_auth_settings_survive_validation() -> None:
    schema = one_field("string")
    out = schema.process({"dynamicAuthSettings": {"token": "t"}, "x": 1, "other": 2})
    assert out == {"x": "1", "dynamicAuthSettings": {"token": "t"}}


def test_a_payload_that_is_not_an_object_is_reported() -> None:
    with pytest.raises(PayloadValidationError) as caught:
        SCHEMAS["string"].validate(["x"])  # type: ignore[arg-type]
    assert caught.value.message == "The root value must be an object but it was an array."


# -- properties over generated field sets and payloads

field_options = st.fixed_dictionaries(
    {
        "type": st.sampled_from(FIELD_TYPES),
        "required": st.booleans(),
        "multiple": st.booleans(),
        "allow_null": st.booleans(),
    }
)
field_sets = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), field_options, min_size=1)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children),
    max_leaves=10,
)


def build(options: dict[str, dict]) -> Any:
    return compile_payload_schema(
        {key: Field(label=key.upper(), description="", **spec) for key, spec in options.items()}
    )


@given(options=field_sets, payload=st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), json_values))
def test_cleaning_leaves_no_empty_value_where_the_schema_forbids_it(options: dict, payload: dict) -> None:
    cleaned = build(options).remove_empty_values(payload)
    for key, value in cleaned.items():
        assert value != "", "an empty string never survives at the root"
        spec = options.get(key)
        if spec is None:
            continue
        if value is None:
            assert spec["allow_null"] and not spec["multiple"]
        if spec["multiple"] and isinstance(value, list):
            assert None not in value
            if spec["type"] not in ("string", "datetime"):
                assert "" not in value


def conforms(spec: dict, value: Any) -> bool:
    if value is None:
        return spec["allow_null"] and not spec["multiple"]
    if spec["multiple"]:
        item_spec = {**spec, "multiple": False, "allow_null": False}
        return isinstance(value, list) and all(conforms(item_spec, item) for item in value)
    kind = spec["type"]
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok and (kind == "number" or not math.isfinite(value) or float(value).is_integer())
    if kind == "datetime":
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return isinstance(value, dict)


@given(options=field_sets, payload=st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), json_values))
def test_validation_either_conforms_or_raises_payload_validation_error(options: dict, payload: dict) -> None:
    schema = build(options)
    try:
        out = schema.process(payload)
    except PayloadValidationError as error:
        assert error.message and error.errors
        assert error.message == " ".join(item["message"] for item in error.errors)
        assert all(item["field"].startswith("/") for item in error.errors)
        return
    assert set(out) <= set(options), "undeclared keys are dropped"
    assert {key for key, spec in options.items() if spec["required"]} <= set(out)
    for key, value in out.items():
        assert conforms(options[key], value), f"{key}: {value!r}"
    dumps(out)  # what is passed on can always be sent


@given(payload=json_values)
def test_any_json_value_only_ever_raises_payload_validation_error(payload: Any) -> None:
    with contextlib.suppress(PayloadValidationError):
        SCHEMAS["datetime"].process(payload)
