"""The mapping kit resolves mappings exactly as production's ``transform`` does.

Most expectations come from production itself: ``data/mapping_kit_cases.jsonl``
holds mappings and events (hand-written ones for every directive and its
edge cases, plus generated ones) with what production's ``transform``
returned or threw.  The example tests below spell out the behaviours users
rely on most.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reference.errors import InvalidMappingError, MappingResolutionError
from reference.js_json import dumps, js_ordered
from reference.mapping_kit import UNDEFINED, compile_mapping, transform, validate_mapping

CASES_FILE = Path(__file__).parent / "data" / "mapping_kit_cases.jsonl"


def _js_int(text: str) -> int | float:
    number = int(text)
    return number if -(2**53) <= number <= 2**53 else float(number)


def js_loads(text: str) -> Any:
    """JSON as ``JSON.parse`` builds it: integer-like keys first, numbers as doubles."""
    return json.loads(text, object_pairs_hook=lambda pairs: js_ordered(dict(pairs)), parse_int=_js_int)


def encode(value: Any) -> Any:
    """The oracle's encoding of JavaScript values JSON cannot show (undefined, -0, Infinity)."""
    if value is UNDEFINED:
        return {"$undef": 1}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {"$num": "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, float) and value == 0 and str(value).startswith("-"):
        return {"$negzero": 1}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    return value


def production_pointer(message: str) -> str:
    """Production drops the item index after ``@arrayPath`` and restarts paths inside ``@merge`` objects."""
    pointer, _, rest = message.partition(" ")
    merges = list(re.finditer(r"/@merge/objects/[0-9]+", pointer))
    if merges:
        pointer = "/" + pointer[merges[-1].end() :].lstrip("/")
    pointer = re.sub(r"/@arrayPath/[01](?=/|$)", "/@arrayPath", pointer)
    return f"{pointer} {rest}"


def _load_cases() -> list[dict]:
    return [js_loads(line) for line in CASES_FILE.read_text().splitlines() if line.strip()]


CASES = _load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_agrees_with_production(case: dict) -> None:
    expected_error = case.get("error")
    if expected_error and expected_error["name"] in ("ValidationError", "AggregateError"):
        with pytest.raises((InvalidMappingError, MappingResolutionError)) as caught:
            transform(case["mapping"], case["event"])
        error = caught.value
        if isinstance(error, InvalidMappingError):
            messages = [production_pointer(item["message"]) for item in error.errors]
            assert messages == expected_error["messages"]
        else:
            # A nested @transform's apply is validated when it runs; the path here is absolute.
            assert error.message.split(" ", 1)[1] == expected_error["messages"][0].split(" ", 1)[1]
        return
    if expected_error:
        with pytest.raises((MappingResolutionError, InvalidMappingError)) as caught:
            transform(case["mapping"], case["event"])
        assert caught.value.message == expected_error["messages"][0]
        return
    result = transform(case["mapping"], case["event"])
    assert dumps(encode(result)) == dumps(case["result"])


def test_fixture_covers_every_directive() -> None:
    text = CASES_FILE.read_text()
    for directive in ("@path", "@template", "@literal", "@if", "@arrayPath", "@case", "@replace", "@merge",
                      "@transform", "@flatten", "@json", "@excludeWhenNull", "@liquid"):  # fmt: skip
        assert f'"{directive}"' in text


# --- examples ------------------------------------------------------------------

EVENT = {
    "userId": "u-1",
    "event": "Order Completed",
    "traits": {"email": "Ann@Example.com", "age": 0, "nickname": "", "vip": False, "phone": None},
    "properties": {
        "total": 27.5,
        "products": [
            {"product_id": "p1", "sku": "s1", "price": 19.0, "quantity": 1, "variant": None},
            {"product_id": "p2", "sku": "s2", "price": 8.5},
        ],
    },
}


def test_path_reads_dot_and_bracket_paths() -> None:
    mapping = {
        "id": {"@path": "$.userId"},
        "sku": {"@path": "$.properties.products[1].sku"},
        "also": {"@path": "properties.products.0.product_id"},
        "count": {"@path": "$.properties.products.length"},
        "missing": {"@path": "$.properties.nope.deeper"},
        "phone": {"@path": "$.traits.phone"},
    }
    assert transform(mapping, EVENT) == {"id": "u-1", "sku": "s2", "also": "p1", "count": 2, "phone": None}


def test_path_stops_at_falsy_values_like_production() -> None:
    mapping = {"age": {"@path": "$.traits.age.x"}, "nick": {"@path": "$.traits.nickname.x"}}
    assert transform(mapping, EVENT) == {"age": 0, "nick": ""}


def test_undefined_is_dropped_from_objects_but_kept_in_arrays() -> None:
    result = transform({"o": {"a": {"@path": "$.nope"}, "b": None}, "l": [{"@path": "$.nope"}, 1]}, EVENT)
    assert result == {"o": {"b": None}, "l": [UNDEFINED, 1]}


def test_template_renders_placeholders_and_blank_for_missing() -> None:
    mapping = {
        "v": {"@template": "{{traits.email}} / {{ properties.total }} / [{{nope}}] / {{properties.products}}"}
    }
    assert transform(mapping, EVENT) == {"v": "Ann@Example.com / 27.5 / [] / [object Object],[object Object]"}


def test_template_of_a_non_string_fails_when_resolved() -> None:
    compiled = compile_mapping({"v": {"@template": {"@path": "$.nope"}}})
    with pytest.raises(MappingResolutionError) as caught:
        compiled.resolve(EVENT)
    assert caught.value.message == "@template: expected string, got undefined"
    assert caught.value.path == "/v/@template"


def test_if_exists_blank_and_missing_branches() -> None:
    mapping = {
        "exists": {"@if": {"exists": {"@path": "$.traits.age"}, "then": "yes", "else": "no"}},
        "null": {"@if": {"exists": {"@path": "$.traits.phone"}, "then": "yes", "else": "no"}},
        "blank": {"@if": {"blank": {"@path": "$.traits.age"}, "then": "yes", "else": "no"}},
        "no_else": {"@if": {"exists": {"@path": "$.nope"}, "then": "yes"}},
        "default_action": {
            "@if": {"exists": {"@path": "$.event"}, "then": {"@path": "$.event"}, "else": "pageView"}
        },
    }
    assert transform(mapping, EVENT) == {
        "exists": "yes",
        "null": "no",
        "blank": "no",
        "default_action": "Order Completed",
    }


def test_array_path_maps_each_item() -> None:
    mapping = {
        "items": {
            "@arrayPath": [
                "$.properties.products",
                {"id": {"@path": "$.product_id"}, "v": {"@path": "$.variant"}},
            ]
        }
    }
    assert transform(mapping, EVENT) == {"items": [{"id": "p1", "v": None}, {"id": "p2"}]}


def test_array_path_wraps_an_object_and_passes_other_values() -> None:
    shape = {"t": {"@path": "$.total"}}
    assert transform({"i": {"@arrayPath": ["$.properties", shape]}}, EVENT) == {"i": [{"t": 27.5}]}
    assert transform({"i": {"@arrayPath": ["$.userId", shape]}}, EVENT) == {"i": "u-1"}


def test_case_replace_and_json() -> None:
    mapping = {
        "lower": {"@case": {"operator": "lower", "value": {"@path": "$.traits.email"}}},
        "replaced": {"@replace": {"pattern": "e", "replacement": "3", "value": {"@path": "$.traits.email"}}},
        "first_only": {"@replace": {"pattern": "e", "replacement": "3", "global": False, "value": "eee"}},
        "number": {
            "@replace": {"pattern": ".", "replacement": ",", "value": {"@path": "$.properties.total"}}
        },
        "encoded": {"@json": {"mode": "encode", "value": {"@path": "$.traits"}}},
        "decoded": {"@json": {"mode": "decode", "value": '{"b":1,"10":2}'}},
    }
    assert transform(mapping, EVENT) == {
        "lower": "ann@example.com",
        "replaced": "Ann@Exampl3.com",
        "first_only": "3ee",
        "number": "27,5",
        "encoded": '{"email":"Ann@Example.com","age":0,"nickname":"","vip":false,"phone":null}',
        "decoded": {"10": 2, "b": 1},
    }


def test_merge_flatten_transform_and_exclude_when_null() -> None:
    mapping = {
        "merged": {"@merge": {"direction": "right", "objects": [{"a": 1, "b": 1}, {"b": 2}]}},
        "left": {"@merge": {"direction": "left", "objects": [{"a": 1, "b": 1}, {"b": 2}]}},
        "flat": {"@flatten": {"separator": ".", "value": {"@path": "$.properties"}}},
        "transformed": {
            "@transform": {"apply": {"p": {"@path": "$.properties"}}, "mapping": {"@path": "$.p.total"}}
        },
        "cleaned": {"@excludeWhenNull": {"@path": "$.traits"}},
    }
    result = transform(mapping, EVENT)
    assert result["merged"] == {"a": 1, "b": 2}
    assert result["left"] == {"a": 1, "b": 1}
    assert result["flat"] == {
        "total": 27.5,
        "products.0.product_id": "p1",
        "products.0.sku": "s1",
        "products.0.price": 19.0,
        "products.0.quantity": 1,
        "products.0.variant": None,
        "products.1.product_id": "p2",
        "products.1.sku": "s2",
        "products.1.price": 8.5,
    }
    assert result["transformed"] == 27.5
    assert result["cleaned"] == {"email": "Ann@Example.com", "age": 0, "nickname": "", "vip": False}


def test_liquid_uses_production_configuration() -> None:
    mapping = {
        "v": {
            "@liquid": "{{ traits.email | downcase }} {{ properties.total | times: 2 }} "
            "{{ properties.products.size }}"
        },
        "js_numbers": {"@liquid": "{{ properties.products[0].price }}"},
    }
    assert transform(mapping, EVENT) == {"v": "ann@example.com 55 2", "js_numbers": "19"}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% for p in properties.products %}{{ p.sku }}{% endfor %}", 'tag "for" is disabled, line:1, col:1'),
        ("{{ properties.products | map: 'sku' }}", 'filter "map" is disabled, line:1, col:1'),
        ("a\n{% nope %}", 'tag "nope" not found, line:2, col:1'),
        ("{% if userId %}x", "tag {% if userId %} not closed, line:1, col:1"),
        ("x" * 1001, "liquid template values are limited to 1000 characters"),
    ],
)
def test_liquid_errors_carry_production_messages(template: str, message: str) -> None:
    compiled = compile_mapping({"v": {"@liquid": template}})
    with pytest.raises(MappingResolutionError) as caught:
        compiled.resolve(EVENT)
    assert caught.value.message == message
    assert caught.value.path == "/v/@liquid"


def test_liquid_memory_limit_stops_runaway_templates() -> None:
    doubling = "{% assign s = 'xxxxxxxxxx' %}" + "{% assign s = s | append: s %}" * 30 + "{{ s | size }}"
    with pytest.raises(MappingResolutionError) as caught:
        transform({"v": {"@liquid": doubling}}, EVENT)
    assert caught.value.message.startswith("memory alloc limit exceeded")


# --- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "path", "message"),
    [
        (
            {"a": {"@path": 5}},
            "/a/@path",
            "/a/@path should be a string or a mapping directive but it is a number.",
        ),
        ({"a": {"@nope": 1}}, "/a", "/a has an invalid directive: @nope."),
        (
            {"a": {"@path": "x", "extra": 1}},
            "/a",
            "/a should only have one @-prefixed key but it has 2 keys.",
        ),
        (
            {"items": {"@arrayPath": ["$.products", {"productID": {"@path": 3}}]}},
            "/items/@arrayPath/1/productID/@path",
            "/items/@arrayPath/1/productID/@path should be a string or a mapping directive"
            " but it is a number.",
        ),
        (
            {"m": {"@merge": {"direction": "right", "objects": [{"a": 1}, "x"]}}},
            "/m/@merge/objects/1",
            "/m/@merge/objects/1 should be a object or a mapping directive but it is a string.",
        ),
        (
            {"r": {"@replace": {"pattern": "way too long!", "value": "x"}}},
            "/r/@replace/pattern",
            "/r/@replace/pattern should be a string of length 10 or less.",
        ),
        (
            {"j": {"@json": {"value": "x", "mode": "zip"}}},
            "/j/@json/mode",
            '/j/@json/mode should be one of encode, decode but it is "zip".',
        ),
        (
            {"t": {"@transform": {"apply": {}}}},
            "/t/@transform",
            '/t/@transform should have field "mapping" but it doesn\'t.',
        ),
        ("not an object", "/", "/ should be an object but it is a string."),
        ({"a": {"b": {1, 2}}}, "/a/b", "/a/b should be a JSON value but it is a set."),
    ],
)
def test_invalid_mappings_name_the_place(mapping: Any, path: str, message: str) -> None:
    with pytest.raises(InvalidMappingError) as caught:
        validate_mapping(mapping)
    assert caught.value.path == path
    assert caught.value.message == message
    with pytest.raises(InvalidMappingError):
        compile_mapping(mapping)


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(InvalidMappingError) as caught:
        compile_mapping({"a": {"@path": 1}, "b": {"@template": 2}, "ok": {"@path": "$.x"}})
    assert [item["field"] for item in caught.value.errors] == ["/a/@path", "/b/@template"]
    assert caught.value.to_json()["errors"] == caught.value.errors


def test_directives_production_checks_only_when_reached() -> None:
    compiled = compile_mapping({"v": {"@if": {"exists": {"@path": "$.flag"}, "then": [{"@case": 5}]}}})
    assert compiled.resolve({}) == {}
    with pytest.raises(MappingResolutionError) as caught:
        compiled.resolve({"flag": True})
    assert caught.value.message == '@case requires an object with a "operator" key'
    assert caught.value.path == "/v/@if/then/0/@case"


def test_event_must_be_an_object() -> None:
    with pytest.raises(MappingResolutionError) as caught:
        compile_mapping({"a": 1}).resolve([1, 2])  # type: ignore[arg-type]
    assert caught.value.message == "data must be an object, got array"


def test_root_directive_and_internal_root_key() -> None:
    assert transform({"@path": "$.properties.total"}, EVENT) == 27.5
    assert transform({"@path": "$.nope"}, EVENT) is UNDEFINED
    mapping = {
        "__segment_internal_directive": {"@transform": {"apply": {"e": {"@path": "$.traits.email"}}}},
        "email": {"@path": "$.e"},
    }
    assert transform(mapping, EVENT) == {"email": "Ann@Example.com"}


def test_resolve_copies_and_never_mutates() -> None:
    event = json.loads(json.dumps(EVENT))
    mapping = {
        "p": {"@path": "$.properties"},
        "items": {"@arrayPath": ["$.properties.products", {"@path": "$."}]},
    }
    snapshot = json.dumps(mapping)
    compiled = compile_mapping(mapping)
    result = compiled.resolve(event)
    result["p"]["total"] = 0
    result["items"][0]["sku"] = "changed"
    assert event == EVENT
    assert json.dumps(mapping) == snapshot
    assert compiled.source is mapping


def test_key_order_follows_javascript() -> None:
    result = transform({"b": 1, "10": 2, "a": 3, "2": 4}, {})
    assert list(result) == ["2", "10", "b", "a"]
