"""Payload cleaning and validation against production's own behaviour.

Fields come from production's metadata (skipped without ../shared); the
replayed cases in data/payload_schema_cases.jsonl are outputs of production's
removeEmptyValues + validateSchema on generated, partly hostile payloads.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from reference.errors import PayloadValidationError
from reference.fields import NO_DEFAULT, Field
from reference.js_json import dumps, loads
from reference.payload_schema import compile_payload_schema, fields_to_json_schema

DATA = Path(__file__).parent / "data" / "payload_schema_cases.jsonl"
CASES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
ACTIONS = sorted({case["action"] for case in CASES if "action" in case})


def field_from_production(meta: dict) -> Field:
    """A Field from production's field definition (metadata file or fields in the fixture)."""
    properties = meta.get("properties")
    choices = meta.get("choices")
    extra_keys = ("format", "minimum", "maximum", "additionalProperties")
    extra = {key: meta[key] for key in extra_keys if meta.get(key)}
    return Field(
        label=meta["label"],
        description=meta.get("description", ""),
        type=meta["type"],
        required=meta.get("required") is True,
        multiple=bool(meta.get("multiple")),
        allow_null=bool(meta.get("allowNull")),
        default=NO_DEFAULT if meta.get("default") is None else meta["default"],
        properties=None
        if properties is None
        else {k: field_from_production(m) for k, m in properties.items()},
        choices=None if choices is None else tuple(c["value"] if isinstance(c, dict) else c for c in choices),
        extra=extra,
    )


def action_fields(metadata: dict, action: str) -> dict[str, Field]:
    return {key: field_from_production(meta) for key, meta in metadata["actions"][action]["fields"].items()}


@pytest.fixture(scope="module")
def schemas(production_metadata: dict) -> dict:
    return {action: compile_payload_schema(action_fields(production_metadata, action)) for action in ACTIONS}


def comparable(value: Any) -> Any:
    """The fixture's encoding of JavaScript values, with numbers compared by value."""
    if isinstance(value, dict) and set(value) == {"$n"}:
        text = value["$n"]
        return 0.0 if text == "-0" else float(text.replace("Infinity", "inf"))
    if isinstance(value, dict) and set(value) == {"$u"}:
        return "<undefined>"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return [[key, comparable(item)] for key, item in value.items()]


def python_side(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {"$n": "Infinity" if value > 0 else "-Infinity"}
    if isinstance(value, list):
        return [python_side(item) for item in value]
    if isinstance(value, dict):
        return {key: python_side(item) for key, item in value.items()}
    return value


def replay(schema: Any, case: dict) -> list[str]:
    payload = loads(case["payload"])
    cleaned = schema.remove_empty_values(payload)
    problems = []
    if comparable(python_side(cleaned)) != comparable(case["cleaned"]):
        problems.append(f"cleaning {case['payload']}: {cleaned!r}")
    try:
        result: Any = {"result": python_side(schema.validate(cleaned))}
    except PayloadValidationError as error:
        result = {"error": error.message}
    expected = {"result": case["result"]} if "result" in case else {"error": case["error"]}
    if comparable(result) != comparable(expected):
        problems.append(f"validating {case['payload']}: got {result!r}, production {expected!r}")
    return problems


@pytest.mark.parametrize("action", ACTIONS)
def test_replays_production_outputs_for_every_action(action: str, schemas: dict) -> None:
    problems = [p for case in CASES if case.get("action") == action for p in replay(schemas[action], case)]
    assert not problems, "\n".join(problems[:5])


def test_replays_production_outputs_for_other_field_shapes() -> None:
    """allowNull, multiple scalars, choices, bounds, text and password fields."""
    problems = []
    for case in CASES:
        if "fields" in case:
            fields = {key: field_from_production(meta) for key, meta in case["fields"].items()}
            problems += replay(compile_payload_schema(fields), case)
    assert not problems, "\n".join(problems[:5])


def test_schema_has_productions_shape(production_metadata: dict) -> None:
    schema = fields_to_json_schema(action_fields(production_metadata, "upsertOrder"))
    assert schema["$schema"] == "http://json-schema.org/schema#"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["orderID", "purchaseDate", "status", "totalAmount", "items"]
    date = schema["properties"]["purchaseDate"]
    assert (date["type"], date["format"]) == (["string", "number"], "date-like")
    items = schema["properties"]["items"]
    assert items["type"] == "array"
    assert items["items"]["additionalProperties"] is False
    assert items["items"]["required"] == ["productID", "sku", "name"]
    assert "manufacturerName" in items["items"]["properties"]
    discount = schema["properties"]["discountApplication"]
    assert discount["type"] == "object" and discount["required"] == []
    assert discount["properties"]["type"]["enum"] == ["fixed"]
    assert list(discount)[:3] == ["title", "description", "type"]


# -- examples quoted in SPEC.md and checked against production's pipeline


def test_missing_required_field_is_named(schemas: dict) -> None:
    payload = {"segmentId": "u1", "productID": "p1", "qty": 2, "category": "c", "name": "n"}
    with pytest.raises(PayloadValidationError) as caught:
        schemas["addProductToCart"].process(payload)
    assert caught.value.message == "The root value is missing the required field 'sku'."
    assert caught.value.errors == [
        {
            "field": "/sku",
            "keyword": "required",
            "expected": "string",
            "found": "missing",
            "message": "The root value is missing the required field 'sku'.",
        }
    ]


@pytest.mark.parametrize("qty", ["abc", "2.5", "", " 2.5"])
def test_non_integer_quantity_is_rejected_with_the_label(schemas: dict, qty: str) -> None:
    payload = {"productID": "p1", "sku": "s", "qty": qty, "category": "c", "name": "n"}
    with pytest.raises(PayloadValidationError) as caught:
        schemas["addProductToCart"].validate(payload)
    assert caught.value.message == "Quantity must be an integer but it was a string."
    assert caught.value.errors[0]["field"] == "/qty"
    assert (caught.value.errors[0]["expected"], caught.value.errors[0]["found"]) == ("integer", "string")


def test_scalars_are_coerced_and_empty_values_removed(schemas: dict) -> None:
    payload = {
        "segmentId": "u1",
        "productID": 123,
        "sku": ["s1"],
        "qty": "2",
        "category": True,
        "name": "n",
        "itemPrice": "9.99",
        "url": None,
        "imageUrl": "",
        "properties": {},
    }
    out = schemas["addProductToCart"].process(payload)
    assert dumps(out) == (
        '{"segmentId":"u1","productID":"123","sku":"s1","qty":2,"category":"true","name":"n",'
        '"itemPrice":9.99,"properties":{}}'
    )


def test_upsert_order_drops_the_misspelled_manufacturer_key(schemas: dict) -> None:
    payload = {
        "orderID": "o1",
        "purchaseDate": "2024-01-02T03:04:05.678Z",
        "status": "Order Completed",
        "totalAmount": "30.5",
        "items": [
            {"productID": "p1", "sku": "s1", "name": "Shoe", "manufacturerNname": "Acme", "qty": "3"},
            {"productID": "p2", "sku": "s2", "name": "Sock", "manufacturerName": "Acme"},
        ],
    }
    out = schemas["upsertOrder"].process(payload)
    assert out["items"] == [
        {"productID": "p1", "sku": "s1", "name": "Shoe", "qty": 3},
        {"productID": "p2", "sku": "s2", "name": "Sock", "manufacturerName": "Acme"},
    ]
    assert out["totalAmount"] == 30.5


def test_discount_application_keeps_only_declared_properties(schemas: dict) -> None:
    base = {"orderID": "o1", "purchaseDate": "2024-01-02", "status": "s", "totalAmount": 1, "items": []}
    discount = {"type": "fixed", "amount": "2.5", "code": "X"}
    out = schemas["upsertOrder"].process({**base, "discountApplication": discount})
    assert out["discountApplication"] == {"type": "fixed", "amount": 2.5}
    with pytest.raises(PayloadValidationError) as caught:
        schemas["upsertOrder"].process({**base, "discountApplication": {"type": "percent", "amount": 1}})
    assert caught.value.message == 'Type must be one of: "fixed".'
    assert caught.value.errors[0]["field"] == "/discountApplication/type"


def test_items_are_filtered_but_not_cleaned(schemas: dict) -> None:
    """Production drops null items, keeps the others as they are, then coerces their nulls."""
    payload = {
        "orderID": "o1",
        "purchaseDate": 1700000000,
        "status": "s",
        "totalAmount": 1,
        "items": [{"productID": "p", "sku": "s", "name": "n", "category": None, "qty": None}, None],
    }
    out = schemas["upsertOrder"].process(payload)
    assert out["items"] == [{"productID": "p", "sku": "s", "name": "n", "category": "", "qty": 0}]


def test_several_errors_are_joined_in_production_order(schemas: dict) -> None:
    payload = {"status": ["a", "b"], "purchaseDate": "yesterday", "totalAmount": "x", "items": ["str"]}
    with pytest.raises(PayloadValidationError) as caught:
        schemas["upsertOrder"].process(payload)
    assert caught.value.message == (
        "The root value is missing the required field 'orderID'. "
        "Order purchase date must be a valid date-like string but it was not. "
        "Order status must be a string but it was an array. "
        "Order total must be a number but it was a string. "
        "The value at /items/0 must be an object but it was a string."
    )
    assert [error["field"] for error in caught.value.errors] == [
        "/orderID",
        "/purchaseDate",
        "/status",
        "/totalAmount",
        "/items/0",
    ]


def test_infinite_quantity_string_is_an_integer_and_sent_as_null(schemas: dict) -> None:
    payload = {
        "orderID": "o1",
        "purchaseDate": "1700000000",
        "status": "s",
        "totalAmount": 1,
        "items": {"productID": "p", "sku": "s", "name": "n", "qty": "Infinity"},
    }
    out = schemas["upsertOrder"].process(payload)
    assert dumps(out["items"]) == '[{"productID":"p","sku":"s","name":"n","qty":null}]'


def test_validation_does_not_modify_the_input(schemas: dict) -> None:
    payload = {"productID": 1, "sku": "s", "qty": "2", "category": "c", "name": "n", "extra": 1}
    snapshot = json.dumps(payload)
    schemas["addProductToCart"].process(payload)
    assert json.dumps(payload) == snapshot
