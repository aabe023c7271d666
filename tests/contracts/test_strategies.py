"""The public Hypothesis strategies generate what they promise.

Users build their own property tests on ``contracts.strategies``, so each
promise is checked: realistic events follow the Segment spec for their type,
hostile events really are hostile, valid mappings pass the mapping kit's
validation and invalid ones fail it, failing mappings fail on evaluation,
valid subscriptions parse and malformed ones do not, and the facts the
strategies carry about the destination match production's metadata.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from contracts import strategies as st_c
from reference import Settings, js_json
from reference.errors import InvalidMappingError, MappingResolutionError, SubscriptionSyntaxError
from reference.mapping_kit import compile_mapping, validate_mapping
from reference.subscriptions import parse_subscription

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
PRODUCT_KEYS = {"product_id", "sku", "category", "name", "price", "quantity"}


def _json_round_trip(value: Any) -> Any:
    """Strict JSON (no NaN/Infinity) that production's JSON.parse reads back unchanged."""
    return js_json.loads(json.dumps(value, allow_nan=False))


def _missing_required(event: dict[str, Any]) -> bool:
    kind = event.get("type")
    required = st_c.REQUIRED_KEYS.get(kind, ("type",)) if isinstance(kind, str) else ("type",)
    has_identity = event.get("userId") not in (None, "") or event.get("anonymousId") not in (None, "")
    return not has_identity or any(event.get(key) in (None, "") for key in required)


# --------------------------------------------------------------------------- events


@given(st_c.events())
def test_realistic_events_follow_the_segment_spec(event: dict[str, Any]) -> None:
    assert event["type"] in st_c.EVENT_TYPES
    for key in st_c.REQUIRED_KEYS[event["type"]]:
        assert isinstance(event.get(key), str) and event[key], f"{event['type']} event without {key}"
    assert "userId" in event or "anonymousId" in event
    assert ISO_UTC.match(event["timestamp"])
    assert event["messageId"].startswith("msg-")
    assert isinstance(event["context"], dict) and "library" in event["context"]
    assert not _missing_required(event) and not _numbers_as_text(event)
    assert _json_round_trip(event) == event


@given(st_c.ecommerce_events())
def test_ecommerce_events_carry_products_per_the_ecommerce_spec(event: dict[str, Any]) -> None:
    props = event["properties"]
    if event["event"] in st_c.PRODUCT_EVENTS:
        products = [props]
    else:
        assert event["event"] in st_c.ORDER_EVENTS
        assert isinstance(props["order_id"], str) and isinstance(props["total"], (int, float))
        products = props["products"]
        assert products, "an order without products"
    for product in products:
        assert set(product) >= PRODUCT_KEYS
        assert isinstance(product["quantity"], int) and product["quantity"] >= 1
        assert not isinstance(product["price"], bool)


@given(st_c.track_events(["Signed Up", "Order Refunded"]))
def test_track_events_use_only_the_requested_names(event: dict[str, Any]) -> None:
    assert event["event"] in ("Signed Up", "Order Refunded")


@given(st_c.group_events(), st_c.alias_events(), st_c.identify_events(), st_c.page_events())
def test_type_specific_keys(group: dict, alias: dict, identify: dict, page: dict) -> None:
    assert isinstance(group["groupId"], str) and isinstance(group["traits"], dict)
    assert isinstance(alias["previousId"], str) and isinstance(alias["userId"], str)
    assert isinstance(identify["traits"], dict) and identify["traits"]
    assert {"path", "url", "title"} <= set(page["properties"])


@given(st_c.events(hostile=True))
def test_hostile_events_stay_json_objects(event: dict[str, Any]) -> None:
    assert isinstance(_json_round_trip(event), dict)


NUMERIC_PROPERTIES = ("price", "quantity", "total", "revenue", "discount", "value")


def _numbers_as_text(event: dict[str, Any]) -> bool:
    props = event.get("properties")
    return isinstance(props, dict) and any(isinstance(props.get(k), str) for k in NUMERIC_PROPERTIES)


def _integral_floats(event: dict[str, Any]) -> bool:
    return any(isinstance(v, float) and v.is_integer() for v in _values(event.get("properties")))


def _odd_timestamp(event: dict[str, Any]) -> bool:
    stamp = event.get("timestamp", "")
    return not (isinstance(stamp, str) and ISO_UTC.match(stamp))


#: Searching, not shrinking: the examples found are not reported, only that they exist.
SEARCH = settings(phases=[Phase.generate], database=None)


def test_hostile_events_reach_the_cases_that_break_implementations() -> None:
    for hostile in (st_c.events(hostile=True), st_c.ecommerce_events(hostile=True)):
        find(hostile, _missing_required, settings=SEARCH)
        find(hostile, lambda e: any(v is None or v == "" for v in _values(e)), settings=SEARCH)
        find(hostile, _odd_timestamp, settings=SEARCH)
    find(st_c.ecommerce_events(hostile=True), _numbers_as_text, settings=SEARCH)
    find(st_c.ecommerce_events(hostile=True), _integral_floats, settings=SEARCH)


def _values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _values(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _values(item)]
    return [value]


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="bogus"):
        st_c.events(types=("track", "bogus"))
    with pytest.raises(ValueError, match="Signed Up"):
        st_c.ecommerce_events(["Signed Up"])
    with pytest.raises(ValueError, match="unknown action 'sendEmail'"):
        st_c.action_mappings("sendEmail").example()


# --------------------------------------------------------------------------- mappings


@given(st_c.mappings(), st_c.events(hostile=True))
def test_valid_mappings_pass_validation_and_evaluate_on_any_event(mapping: dict, event: dict) -> None:
    compiled = compile_mapping(mapping)
    compiled.resolve(event)
    compiled.resolve({})


@given(st_c.mappings(valid=False))
def test_invalid_mappings_are_rejected_by_validation(mapping: dict[str, Any]) -> None:
    with pytest.raises(InvalidMappingError):
        validate_mapping(mapping)


@given(st_c.failing_mappings(), st_c.events())
def test_failing_mappings_validate_but_fail_on_evaluation(mapping: dict[str, Any], event: dict) -> None:
    compiled = compile_mapping(mapping)
    with pytest.raises(MappingResolutionError):
        compiled.resolve(event)


@pytest.mark.parametrize("action", st_c.ACTIONS)
@given(data=st.data())
def test_action_mappings_override_fields_of_that_action(action: str, data: st.DataObject) -> None:
    partial = data.draw(st_c.action_mappings(action))
    assert partial and set(partial) <= set(st_c.field_names(action))
    validate_mapping(partial)
    complete = data.draw(st_c.action_mappings(action, complete=True))
    assert list(complete) == list(st_c.field_names(action))
    validate_mapping(complete)


# --------------------------------------------------------------------------- subscriptions and settings


@given(st_c.subscriptions())
def test_valid_subscriptions_parse(subscription: str) -> None:
    parse_subscription(subscription)


@given(st_c.subscriptions(valid=False))
def test_malformed_subscriptions_are_rejected(subscription: str) -> None:
    with pytest.raises(SubscriptionSyntaxError):
        parse_subscription(subscription)


def test_subscriptions_match_generated_events_often_enough() -> None:
    pair = st.tuples(st_c.subscriptions(), st_c.events())
    find(pair, lambda p: parse_subscription(p[0]).matches(p[1]), settings=SEARCH)
    find(pair, lambda p: not parse_subscription(p[0]).matches(p[1]), settings=SEARCH)


@given(st_c.settings())
def test_settings_are_accepted_by_the_reference(settings: dict[str, str]) -> None:
    parsed = Settings.from_json(settings)
    assert parsed.endpoint in st_c.destination_settings.ENDPOINTS
    assert parsed.api_key == settings["apiKey"]


# --------------------------------------------------------------------------- facts


def _kind(production_type: str) -> str:
    return "string" if production_type in ("string", "text", "password") else production_type


def test_action_fields_match_production_metadata(production_metadata: dict) -> None:
    actions = production_metadata["actions"]
    assert list(st_c.ACTION_FIELDS) == list(actions)
    for action, shapes in st_c.ACTION_FIELDS.items():
        fields = actions[action]["fields"]
        assert [shape.name for shape in shapes] == list(fields), action
        for shape in shapes:
            field = fields[shape.name]
            assert (shape.kind, shape.required, shape.multiple) == (
                _kind(field["type"]),
                field["required"],
                field["multiple"],
            ), f"{action}.{shape.name}"
            declared = list(field.get("properties") or {})
            assert [p.name for p in shape.properties] == declared, f"{action}.{shape.name} properties"


def test_default_subscriptions_match_production_metadata(production_metadata: dict) -> None:
    declared = {
        name: action["defaultSubscription"]
        for name, action in production_metadata["actions"].items()
        if action["defaultSubscription"]
    }
    assert declared == st_c.DEFAULT_SUBSCRIPTIONS
