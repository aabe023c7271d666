"""The linter's rules on plain dicts: what each rule catches, and what it must not claim."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import strategies as contract_strategies
from cordial_harness.lint import RULES, NotAnEvent, event_from_line, lint_configuration
from cordial_harness.lint.findings import json_pointer

SETTINGS = {"apiKey": "k", "endpoint": "https://integrations-ingest-svc.usw1.cordial.com"}
ORDER = {
    "type": "track",
    "event": "Order Completed",
    "userId": "u1",
    "timestamp": "2024-01-01T00:00:00Z",
    "properties": {"order_id": "o1", "total": 10, "products": [{"product_id": "p", "sku": "s", "name": "n"}]},
}


def findings(subscriptions: list | None, samples: list | None = None, settings: dict | None = None) -> list:
    data: dict = {"settings": SETTINGS if settings is None else settings}
    if subscriptions is not None:
        data["subscriptions"] = subscriptions
    report = lint_configuration(data, samples)
    return [(item.level, item.rule, item.pointer) for item in report.findings]


def test_a_clean_configuration_has_no_findings() -> None:
    subscriptions = [
        {
            "action": "upsertContact",
            "mapping": {"userIdentities": {"channels.email.address": {"@path": "$.email"}}},
        },
        {
            "action": "upsertOrder",
            "mapping": {
                "items": {
                    "@arrayPath": [
                        "$.properties.products",
                        {
                            "productID": {"@path": "$.product_id"},
                            "sku": {"@path": "$.sku"},
                            "name": {"@path": "$.name"},
                            "manufacturerName": {"@path": "$.brand"},
                        },
                    ]
                }
            },
        },
    ]
    assert findings(subscriptions) == []


def test_without_subscriptions_every_default_action_is_linted() -> None:
    # The new-destination default: production's own typo is the only finding, on the whole file.
    assert findings(None) == [("warning", "dropped-key", "")]


def test_not_a_configuration_at_all() -> None:
    assert findings_of([1, 2]) == [("error", "invalid-configuration", "")]
    assert findings_of({"settings": SETTINGS, "subscription": []}) == [
        ("error", "invalid-configuration", "/subscription"),
        ("warning", "dropped-key", ""),
    ]
    assert ("error", "invalid-configuration", "/subscriptions") in findings_of(
        {"settings": SETTINGS, "subscriptions": {}}
    )


def findings_of(data: object) -> list:
    return [(item.level, item.rule, item.pointer) for item in lint_configuration(data).findings]


def test_settings_problems() -> None:
    assert findings([], settings={"endpoint": "ftp://x"}) == [
        ("error", "invalid-settings", "/settings/endpoint"),
        ("warning", "missing-api-key", "/settings"),
    ]
    assert findings([], settings={**SETTINGS, "region": "us"}) == [
        ("error", "invalid-settings", "/settings/region")
    ]
    assert findings([], settings={**SETTINGS, "endpoint": "http://localhost:8080/"}) == [
        ("error", "endpoint-trailing-slash", "/settings/endpoint")
    ]


def test_subscription_shape_problems_are_all_reported() -> None:
    result = findings(
        [
            "upsertContact",
            {"action": "upsertContact", "enabled": "yes", "mapping": [], "colour": 1},
            {"action": "removeContactFromList", "enabled": False},
            {"action": "upsertContact", "subscribe": "  "},
        ]
    )
    assert result == [
        ("error", "invalid-configuration", "/subscriptions/0"),
        ("error", "invalid-configuration", "/subscriptions/1/colour"),
        ("error", "invalid-configuration", "/subscriptions/1/enabled"),
        ("error", "invalid-configuration", "/subscriptions/1/mapping"),
        ("error", "invalid-configuration", "/subscriptions/2"),
        ("error", "enabled-without-subscription", "/subscriptions/3/subscribe"),
        ("warning", "duplicate-name", "/subscriptions/3"),
    ]


def test_problems_of_a_disabled_subscription_are_warnings() -> None:
    result = findings(
        [
            {
                "action": "upsertContact",
                "enabled": False,
                "subscribe": 'type = "track" and (',
                "mapping": {"x": {"@a": 1}},
            }
        ]
    )
    assert result == [
        ("warning", "invalid-mapping", "/subscriptions/0/mapping/x"),
        ("warning", "unknown-field", "/subscriptions/0/mapping/x"),
        ("warning", "subscription-syntax", "/subscriptions/0/subscribe"),
    ]


def test_dropped_keys_follow_literal_if_merge_and_arrays() -> None:
    mapping = {
        "discountApplication": {
            "@if": {
                "exists": {"@path": "$.properties.discount"},
                "then": {"@merge": {"objects": [{"type": "fixed"}, {"amount": 1, "kind": "x"}]}},
                "else": {"@literal": {"type": "fixed", "note": {"@path": "not a directive here"}}},
            }
        },
        "items": [{"productID": "p", "sku": "s", "name": "n", "brand": "b"}],
    }
    result = findings([{"action": "upsertOrder", "mapping": mapping}])
    base = "/subscriptions/0/mapping"
    assert result == [
        ("warning", "dropped-key", f"{base}/discountApplication/@if/else/@literal/note"),
        ("warning", "dropped-key", f"{base}/discountApplication/@if/then/@merge/objects/1/kind"),
        ("warning", "dropped-key", f"{base}/items/0/brand"),
    ]


def test_a_lone_object_for_a_multiple_field_is_checked_as_an_item() -> None:
    mapping = {"items": {"productID": "p", "name": "n"}}
    result = findings([{"action": "upsertOrder", "mapping": mapping}])
    assert result == [("error", "required-unfillable", "/subscriptions/0/mapping/items")]


def test_required_keys_are_not_claimed_missing_where_only_some_events_lack_them() -> None:
    # An @if branch or one merged object may lack a required key without every event failing.
    shape = {
        "@if": {
            "exists": {"@path": "$.sku"},
            "then": {"productID": "p", "sku": "s", "name": "n"},
            "else": {"productID": "p"},
        }
    }
    merged = {"@merge": {"objects": [{"productID": "p"}, {"sku": "s", "name": "n"}]}}
    for item in (shape, merged):
        mapping = {"items": {"@arrayPath": ["$.properties.products", item]}}
        assert findings([{"action": "upsertOrder", "mapping": mapping}]) == []


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("", "required-unfillable"),
        (None, "required-unfillable"),
        ({"@literal": None}, "required-unfillable"),
        ("two", "invalid-literal"),
        (2.5, "invalid-literal"),
        ([1, 2], "invalid-literal"),
    ],
)
def test_literal_values_production_rejects(value: object, rule: str) -> None:
    result = findings([{"action": "addProductToCart", "mapping": {"qty": value}}])
    assert result == [("error", rule, "/subscriptions/0/mapping/qty")]


@pytest.mark.parametrize("value", [2, "2", 0, [1], {"@path": "$.properties.quantity"}, {"@literal": "3"}])
def test_literal_values_production_accepts(value: object) -> None:
    assert findings([{"action": "addProductToCart", "mapping": {"qty": value}}]) == []


def test_sample_rules() -> None:
    subscriptions = [
        {"name": "Orders", "action": "upsertOrder", "mapping": {"orderID": {"@path": "$.properties.id"}}},
        {"name": "Screens", "action": "upsertContact", "subscribe": 'type = "screen"'},
        {"name": "Off", "action": "upsertContact", "subscribe": 'type = "screen"', "enabled": False},
    ]
    result = findings(subscriptions, samples=[("o1", ORDER), ("o2", ORDER)])
    assert result == [
        ("warning", "dropped-key", "/subscriptions/0"),
        ("warning", "required-missing-on-samples", "/subscriptions/0/mapping/orderID"),
        ("warning", "subscription-never-matches", "/subscriptions/1/subscribe"),
    ]


def test_a_field_missing_on_only_some_samples_is_not_reported() -> None:
    partial = {**ORDER, "properties": {**ORDER["properties"], "order_id": None}}
    assert findings([{"action": "upsertOrder"}], samples=[("a", ORDER), ("b", partial)]) == [
        ("warning", "dropped-key", "/subscriptions/0")
    ]


def test_unfillable_fields_are_not_reported_twice_on_samples() -> None:
    shape = {"productID": {"@path": "$.product_id"}, "name": {"@path": "$.name"}}
    mapping = {"items": {"@arrayPath": ["$.properties.products", shape]}}
    assert findings([{"action": "upsertOrder", "mapping": mapping}], samples=[("o", ORDER)]) == [
        ("error", "required-unfillable", "/subscriptions/0/mapping/items/@arrayPath/1")
    ]


def test_json_pointer_escaping() -> None:
    assert json_pointer("subscriptions", 0, "a/b", "c~d") == "/subscriptions/0/a~1b/c~0d"
    assert json_pointer() == ""


def test_event_lines() -> None:
    assert event_from_line({"id": "x", "event": {"type": "page"}}, 3) == ("x", {"type": "page"})
    assert event_from_line({"id": 7, "event": {"type": "page"}}, 3) == ("7", {"type": "page"})
    bare = {"type": "track", "event": "Product Added"}
    assert event_from_line(bare, 4) == ("line 4", bare)
    with pytest.raises(NotAnEvent, match="line 5: expected an event object, got string"):
        event_from_line("hello", 5)
    with pytest.raises(NotAnEvent, match="line 6: 'event' must be an event object"):
        event_from_line({"event": 3}, 6)


def _resolves(document: object, pointer: str) -> bool:
    node = document
    for raw in pointer.split("/")[1:] if pointer else []:
        segment = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return False
    return True


@st.composite
def any_subscription(draw: st.DrawFn) -> dict:
    action = draw(st.sampled_from(list(contract_strategies.ACTIONS)) | st.text(max_size=4))
    item: dict = {"action": action}
    if draw(st.booleans()):
        item["subscribe"] = draw(contract_strategies.subscriptions(valid=draw(st.booleans())))
    mapping = draw(st.sampled_from(["valid", "invalid", "failing", "fields", "none"]))
    if mapping in ("valid", "invalid"):
        item["mapping"] = draw(contract_strategies.mappings(valid=mapping == "valid"))
    elif mapping == "failing":
        item["mapping"] = draw(contract_strategies.failing_mappings())
    elif mapping == "fields" and action in contract_strategies.ACTIONS:
        item["mapping"] = draw(contract_strategies.action_mappings(action))
    for key in ("useDefaultMappings", "enabled"):
        if draw(st.booleans()):
            item[key] = draw(st.booleans())
    return item


@given(
    contract_strategies.settings(unusual=True),
    st.lists(any_subscription(), max_size=3),
    st.lists(contract_strategies.events(hostile=True), max_size=3),
)
def test_any_configuration_is_linted_with_pointers_into_the_file(
    settings: dict, subscriptions: list, events: list
) -> None:
    data = {"settings": settings, "subscriptions": subscriptions}
    report = lint_configuration(data, [(str(i), event) for i, event in enumerate(events)])
    for item in report.findings:
        assert item.rule in RULES and item.level in ("error", "warning")
        assert item.message
        assert _resolves(data, item.pointer), (item, data)


def test_subscription_production_fails_to_evaluate_on_samples() -> None:
    subscriptions = [{"action": "upsertContact", "subscribe": 'properties.constructor.caller = "x"'}]
    result = findings(subscriptions, samples=[("t", {"type": "track", "properties": {}})])
    assert result == [("warning", "subscription-evaluation-error", "/subscriptions/0/subscribe")]
