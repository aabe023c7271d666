"""Properties of the mapping kit that hold for every mapping and event."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reference.errors import InvalidMappingError, MappingResolutionError
from reference.mapping_kit import UNDEFINED, compile_mapping, transform

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=20,
)
#: Any JSON object, including hostile keys and values (unicode, dots, brackets, "@", "__proto__").
HOSTILE_KEYS = st.one_of(
    KEYS, st.text(max_size=8), st.sampled_from(["__proto__", "length", "0", "10", "@path", "a.b", "$."])
)
HOSTILE_VALUES = st.recursive(
    st.one_of(SCALARS, st.text(alphabet=st.characters(codec="utf-8"), max_size=6)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(HOSTILE_KEYS, children, max_size=5)
    ),
    max_leaves=30,
)
EVENTS = st.dictionaries(HOSTILE_KEYS, HOSTILE_VALUES, max_size=8)


def _without_proto(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_proto(item) for key, item in value.items() if key != "__proto__"}
    if isinstance(value, list):
        return [_without_proto(item) for item in value]
    return value


@given(JSON_VALUES)
def test_literal_values_round_trip(value: Any) -> None:
    assert transform({"v": {"@literal": value}}, {}) == {"v": value}


@st.composite
def nested_path(draw: st.DrawFn) -> tuple[dict, str, Any]:
    """An object, a path into it written with dots and brackets, and the value found there."""
    leaf = draw(JSON_VALUES)
    steps = draw(st.lists(st.one_of(KEYS, st.integers(min_value=0, max_value=3)), min_size=1, max_size=5))
    if isinstance(steps[0], int):
        steps[0] = "root"
    value: Any = leaf
    for step in reversed(steps):
        if isinstance(step, int):
            items = draw(st.lists(JSON_VALUES, min_size=step, max_size=step))
            value = [*items, value]
        else:
            value = {**draw(st.dictionaries(KEYS, JSON_VALUES, max_size=3)), step: value}
    text = ""
    for step in steps:
        if isinstance(step, int):
            text += draw(st.sampled_from([f"[{step}]", f".{step}"]))
        else:
            text += f".{step}" if text else step
    prefix = draw(st.sampled_from(["$.", ""]))
    return value, prefix + text, leaf


@given(nested_path())
def test_path_finds_the_value_it_names(case: tuple[dict, str, Any]) -> None:
    event, path, leaf = case
    assert transform({"found": {"@path": path}}, event) == {"found": _without_proto(leaf)}


VALID_MAPPINGS = st.recursive(
    st.one_of(
        st.builds(lambda p: {"@path": p}, st.sampled_from(["$.a", "$.a.b", "b[0]", "$.", "$.c.length"])),
        st.builds(lambda t: {"@template": t}, st.sampled_from(["{{a}}", "x{{b.c}}y", "{{{a}}}"])),
        SCALARS,
    ),
    lambda children: st.one_of(
        st.dictionaries(KEYS, children, min_size=1, max_size=3),
        st.builds(lambda c: {"@literal": c}, children),
        st.builds(lambda e, t, o: {"@if": {"exists": e, "then": t, "else": o}}, children, children, children),
        st.builds(
            lambda s: {"@arrayPath": ["$.items", s]}, st.dictionaries(KEYS, children, min_size=1, max_size=2)
        ),
        st.builds(lambda v: {"@json": {"mode": "encode", "value": v}}, children),
        st.builds(lambda v: {"@excludeWhenNull": v}, children),
        st.builds(
            lambda a, b: {"@merge": {"direction": "right", "objects": [a, b]}},
            st.dictionaries(KEYS, children, max_size=2),
            st.dictionaries(KEYS, children, max_size=2),
        ),
        st.builds(lambda v: {"@flatten": {"separator": ".", "value": v}}, children),
    ),
    max_leaves=12,
).map(lambda value: {"field": value})

CORRUPTIONS = [
    ("@path", 5),
    ("@template", ["x"]),
    ("@nope", 1),
    ("@if", "string"),
    ("@case", {"operator": 7}),
    ("@replace", {"pattern": "", "value": "x"}),
    ("@json", {"value": 1, "mode": "bogus"}),
    ("@merge", {"objects": "x"}),
    ("@arrayPath", {"not": "a list"}),
    ("@liquid", {"@path": "$.a"}),
]


def _places(mapping: Any, pointer: str = "") -> list[str]:
    """Pointers to every plain-object key production validates (not inside arrays or raw values)."""
    places = []
    if isinstance(mapping, dict) and not any(key.startswith("@") for key in mapping):
        for key, value in mapping.items():
            places.append(f"{pointer}/{key}")
            places.extend(_places(value, f"{pointer}/{key}"))
    return places


def _follow(mapping: Any, pointer: str) -> Any:
    value = mapping
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@given(VALID_MAPPINGS, st.data())
def test_invalid_mappings_raise_with_a_path_into_the_mapping(mapping: dict, data: st.DataObject) -> None:
    compile_mapping(mapping)
    place = data.draw(st.sampled_from(_places(mapping)))
    name, argument = data.draw(st.sampled_from(CORRUPTIONS))
    broken = copy.deepcopy(mapping)
    parent_pointer, _, key = place.rpartition("/")
    _follow(broken, parent_pointer)[key] = {name: argument}
    try:
        compile_mapping(broken)
    except InvalidMappingError as error:
        assert error.message.startswith(error.path + " ")
        for item in error.errors:
            _follow(broken, item["field"])
        assert any(item["field"].startswith(place) for item in error.errors)
    else:
        raise AssertionError(f"{broken} was accepted")


DEFAULTS_LIKE = {
    "segmentId": {"@path": "$.userId"},
    "action": {"@if": {"exists": {"@path": "$.event"}, "then": {"@path": "$.event"}, "else": "pageView"}},
    "items": {
        "@arrayPath": [
            "$.properties.products",
            {"productID": {"@path": "$.product_id"}, "qty": {"@path": "$.quantity"}},
        ]
    },
    "properties": {"@path": "$.properties"},
    "label": {"@template": "{{event}} by {{userId}}"},
    "lower": {"@case": {"operator": "lower", "value": {"@path": "$.event"}}},
    "clean": {"@replace": {"pattern": " ", "replacement": "_", "value": {"@path": "$.event"}}},
    "merged": {"@merge": {"direction": "left", "objects": [{"@path": "$.traits"}, {"@path": "$.context"}]}},
    "flat": {"@flatten": {"separator": ".", "value": {"@path": "$.context"}}},
    "json": {"@json": {"mode": "decode", "value": {"@path": "$.payload"}}},
    "nonnull": {"@excludeWhenNull": {"@path": "$.traits"}},
    "moved": {"@transform": {"apply": {"t": {"@path": "$.traits"}}, "mapping": {"@path": "$.t"}}},
    "liquid": {
        "@liquid": "{{ event | upcase }} {{ properties.total | plus: 1 }} {% if userId %}id{% endif %}"
    },
}
COMPILED_DEFAULTS = compile_mapping(DEFAULTS_LIKE)


def _has_no_undefined_keys(value: Any) -> bool:
    if isinstance(value, dict):
        return all(
            item is not UNDEFINED and key != "__proto__" and _has_no_undefined_keys(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return all(item is UNDEFINED or _has_no_undefined_keys(item) for item in value)
    return True


def _containers(value: Any) -> set[int]:
    found = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            found.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


@given(
    EVENTS, st.sampled_from(["userId", "event", "properties", "traits", "context", "payload"]), HOSTILE_VALUES
)
def test_resolving_never_crashes_and_never_mutates(event: dict, key: str, value: Any) -> None:
    event = {**event, key: value}
    before = json.dumps(event, sort_keys=True, default=str)
    try:
        result = COMPILED_DEFAULTS.resolve(event)
    except MappingResolutionError as error:
        assert error.message and error.path.startswith("/")
        return
    assert json.dumps(event, sort_keys=True, default=str) == before
    assert _has_no_undefined_keys(result)
    assert not _containers(result) & _containers(event)
    assert COMPILED_DEFAULTS.resolve(event) == result
