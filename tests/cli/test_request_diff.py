"""The request differences ``diff`` reports: exact, complete, and replayable."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from cordial_harness.request_diff import (
    Change,
    apply_changes,
    diff_event,
    diff_json,
    diff_outcomes,
    pair_outcomes,
)
from reference import js_json
from reference.configuration import CompiledConfiguration, Configuration

KEYS = st.sampled_from(["a", "b", "c", "sku", "a/b", "~0", "", "items"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4)
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)


def common_key_orders(old: object, new: object, result: object) -> bool:
    """Objects in ``result`` keep ``new``'s order for the keys ``old`` also had."""
    if isinstance(new, dict) and isinstance(result, dict):
        if not isinstance(old, dict):
            return list(result) == list(new)
        kept = [key for key in new if key in old]
        if [key for key in result if key in old] != kept:
            return False
        return all(common_key_orders(old.get(key), new[key], result[key]) for key in new)
    if isinstance(new, list) and isinstance(result, list):
        olds = old if isinstance(old, list) else []
        return all(
            common_key_orders(olds[i] if i < len(olds) else None, new[i], result[i]) for i in range(len(new))
        )
    return True


@given(JSON)
def test_a_document_does_not_differ_from_itself(value: object) -> None:
    assert diff_json(value, copy.deepcopy(value)) == []


@given(JSON, JSON)
def test_applying_the_changes_to_old_gives_new(old: object, new: object) -> None:
    changes = diff_json(old, new)
    snapshot = copy.deepcopy(old)
    result = apply_changes(old, changes)
    assert result == new
    assert common_key_orders(old, new, result)
    assert old == snapshot  # the original is left alone
    # Nothing is reported exactly when the same bytes would be sent.
    assert (changes == []) == (js_json.dumps(old) == js_json.dumps(new))


def test_changes_name_each_place_by_pointer() -> None:
    old = {"attributes": {"first": "Ada", "last": "L"}, "items": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}]}
    new = {"attributes": {"first": "Ada", "plan": "gold"}, "items": [{"sku": "a", "qty": 2}]}
    assert [change.to_json() for change in diff_json(old, new)] == [
        {"op": "removed", "path": "/attributes/last", "old": "L"},
        {"op": "added", "path": "/attributes/plan", "new": "gold"},
        {"op": "added", "path": "/items/0/qty", "new": 2},
        {"op": "removed", "path": "/items/2", "old": {"sku": "c"}},
        {"op": "removed", "path": "/items/1", "old": {"sku": "b"}},
    ]


def test_values_compare_as_sent() -> None:
    assert diff_json({"n": 1}, {"n": 1.0}) == []  # both are sent as 1
    assert diff_json({"n": 1}, {"n": True}) == [Change("changed", "/n", 1, True)]
    assert diff_json({"n": "1"}, {"n": 1}) == [Change("changed", "/n", "1", 1)]
    assert diff_json({"n": None}, {}) == [Change("removed", "/n", old=None)]
    assert diff_json([], {}) == [Change("changed", "", [], {})]


def test_reordered_identities_are_reported() -> None:
    old = {"userIdentities": {"channels.email.address": "a@b.c", "customerId": "7"}}
    new = {"userIdentities": {"customerId": "7", "channels.email.address": "a@b.c"}}
    assert diff_json(old, new) == [
        Change(
            "reordered",
            "/userIdentities",
            ["channels.email.address", "customerId"],
            ["customerId", "channels.email.address"],
        )
    ]


def test_keys_with_slashes_are_escaped() -> None:
    changes = diff_json({"a/b": {"~": 1}}, {"a/b": {"~": 2}})
    assert changes == [Change("changed", "/a~1b/~0", 1, 2)]
    assert apply_changes({"a/b": {"~": 1}}, changes) == {"a/b": {"~": 2}}


def compiled(subscriptions: list, api_key: str = "k") -> CompiledConfiguration:
    return CompiledConfiguration(
        Configuration.from_json(
            {"settings": {"apiKey": api_key, "segmentIdKey": "sid"}, "subscriptions": subscriptions}
        )
    )


IDENTIFY = {"type": "identify", "userId": "u1", "traits": {"email": "a@b.c", "plan": "gold"}}


def test_outcomes_pair_by_name_then_by_action() -> None:
    old = list(
        compiled(
            [{"name": "A", "action": "upsertContact"}, {"name": "B", "action": "upsertContact"}]
        ).outcomes(IDENTIFY)
    )
    new = list(
        compiled(
            [{"name": "B", "action": "upsertContact"}, {"name": "C", "action": "upsertContact"}]
        ).outcomes(IDENTIFY)
    )
    pairs = [(o and o.subscription.name, n and n.subscription.name) for o, n in pair_outcomes(old, new)]
    assert pairs == [("B", "B"), ("A", "C")]
    assert diff_outcomes(old, new) == []


def test_outcome_kinds_and_redaction() -> None:
    old_config = compiled([{"name": "Contacts", "action": "upsertContact"}], api_key="old-key")
    new_config = compiled(
        [
            {
                "name": "Contacts",
                "action": "upsertContact",
                "mapping": {"attributes": {"plan": {"@path": "$.traits.plan"}}},
            },
            {"name": "Lists", "action": "addContactToList", "subscribe": 'type = "identify"'},
        ],
        api_key="new-key",
    )
    old, new = list(old_config.outcomes(IDENTIFY)), list(new_config.outcomes(IDENTIFY))
    contacts, lists = diff_outcomes(old, new)
    assert contacts.kind == "request-changed"
    assert [change.to_json() for change in contacts.changes] == [
        {"op": "changed", "path": "/headers/x-api-key", "old": "***", "new": "***"},
        {"op": "added", "path": "/body/attributes", "new": {"plan": "gold"}},
    ]
    assert (lists.subscription, lists.kind, lists.old) == ("Lists", "error-appeared", None)
    assert lists.new == {
        "error": {
            "type": "PayloadValidationError",
            "message": "The root value is missing the required field 'groupId'.",
            "field": "/groupId",
            "errors": [
                {
                    "field": "/groupId",
                    "keyword": "required",
                    "expected": "string",
                    "found": "missing",
                    "message": "The root value is missing the required field 'groupId'.",
                }
            ],
        }
    }
    shown = diff_outcomes(old, new, show_secrets=True)[0]
    assert shown.changes[0] == Change("changed", "/headers/x-api-key", "old-key", "new-key")
    reverse = diff_outcomes(new, old)
    assert [change.kind for change in reverse] == ["request-changed", "error-disappeared"]


def test_a_subscription_production_cannot_evaluate_is_reported_not_raised() -> None:
    broken = compiled(
        [{"name": "Odd", "action": "upsertContact", "subscribe": 'properties.constructor.caller = "x"'}]
    )
    plain = compiled([{"name": "Odd", "action": "upsertContact", "subscribe": 'type = "identify"'}])
    event = {**IDENTIFY, "properties": {}}
    assert diff_event(broken, broken, event) is None
    result = diff_event(broken, plain, event)
    assert result is not None
    assert "SubscriptionEvaluationError" in js_json.dumps(result.to_json())
