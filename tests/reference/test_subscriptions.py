"""Subscriptions behave as production's: default routing, documented quirks, errors.

Every verdict below was checked against production's own parser and evaluator
(``@segment/destination-subscriptions``).
"""

from __future__ import annotations

import re

import pytest

from reference.errors import InvalidEventError, SubscriptionEvaluationError, SubscriptionSyntaxError
from reference.subscriptions import Subscription, matches, parse_subscription
from reference.subscriptions.nodes import Condition, Group

# The default subscriptions (SPEC section 1), in the destination's definition order.
DEFAULT_SUBSCRIPTIONS = {
    "createContactactivity": 'type = "track" or type = "page"',
    "upsertContact": 'type = "identify"',
    "addContactToList": 'type = "group"',
    "removeContactFromList": None,
    "addProductToCart": 'type = "track" and event = "Product Added"',
    "removeProductFromCart": 'type = "track" and event = "Product Removed"',
    "upsertOrder": (
        'event = "Order Completed" or event = "Order Updated" or event = "Order Refunded"'
        ' or event = "Order Cancelled"'
    ),
    "mergeContacts": 'type = "alias"',
}


def route(event: dict) -> list[str]:
    return [
        action
        for action, text in DEFAULT_SUBSCRIPTIONS.items()
        if text is not None and parse_subscription(text).matches(event)
    ]


@pytest.mark.parametrize(
    ("event", "actions"),
    [
        ({"type": "track", "event": "Product Added"}, ["createContactactivity", "addProductToCart"]),
        ({"type": "track", "event": "Product Removed"}, ["createContactactivity", "removeProductFromCart"]),
        ({"type": "track", "event": "Order Completed"}, ["createContactactivity", "upsertOrder"]),
        ({"type": "page", "name": "Home"}, ["createContactactivity"]),
        ({"type": "identify", "userId": "u1"}, ["upsertContact"]),
        ({"type": "group", "groupId": "g1"}, ["addContactToList"]),
        ({"type": "alias", "previousId": "p"}, ["mergeContacts"]),
        # upsertOrder never looks at the type.
        ({"type": "identify", "event": "Order Cancelled"}, ["upsertContact", "upsertOrder"]),
        ({"event": "Order Refunded"}, ["upsertOrder"]),
        # Comparisons are exact: case matters, and a screen event is nobody's.
        ({"type": "track", "event": "product added"}, ["createContactactivity"]),
        ({"type": "screen", "name": "Home"}, []),
        ({}, []),
    ],
)
def test_default_subscriptions_route_like_production(event: dict, actions: list[str]) -> None:
    assert route(event) == actions


def test_production_metadata_default_subscriptions_parse(production_metadata: dict) -> None:
    for slug, action in production_metadata["actions"].items():
        text = action["defaultSubscription"]
        assert text == DEFAULT_SUBSCRIPTIONS[slug]
        if text is not None:
            assert parse_subscription(text).source == text


@pytest.mark.parametrize(
    ("text", "event", "expected"),
    [
        # No precedence: the last and/or at a level joins every condition at that level.
        ('type = "track" and event = "A" or event = "B"', {"type": "page", "event": "B"}, True),
        ('type = "track" and event = "A" or event = "B"', {"type": "track", "event": "C"}, True),
        ('type = "track" or event = "A" and event = "B"', {"type": "track", "event": "A"}, False),
        ('(type = "track" or type = "page") and event = "A"', {"type": "page", "event": "A"}, True),
        ('(type = "track" or type = "page") and event = "A"', {"type": "page", "event": "B"}, False),
        # "or(" is an identifier, skipped: the conditions are and-ed.
        ('type = "a" or(type = "b")', {"type": "b"}, False),
        ('type = "a" or (type = "b")', {"type": "b"}, True),
        # Single quotes are kept; double quotes are stripped.
        ("type = 'track'", {"type": "track"}, False),
        ("type = 'track'", {"type": "'track'"}, True),
        # A missing value compares with the end marker's text.
        ("type = ", {"type": "eos"}, True),
        ("type = null", {"type": "null"}, True),
        ("type = null", {}, False),
        ("event = 1.50", {"event": "1.5"}, True),
        ("event != null", {}, True),
        ("name = null", {}, True),
        ("name != null", {"name": ""}, True),
        ("userId = true", {"userId": True}, True),
        ("userId = true", {"userId": "true"}, False),
        # Numbers compare as numbers, text as text, never across.
        ("properties.n = 5", {"properties": {"n": 5}}, True),
        ("properties.n = 5", {"properties": {"n": "5"}}, False),
        ('properties.n = "5"', {"properties": {"n": 5}}, False),
        ("properties.n != 5", {"properties": {}}, False),
        ('properties.n != "5"', {"properties": {}}, True),
        ("properties.b != true", {"properties": {"b": True}}, True),
        ("properties.n > 3", {"properties": {"n": "10"}}, False),
        ('properties.n < "0x1F"', {"properties": {"n": 30}}, True),
        ('properties.n < "abc"', {"properties": {"n": 1}}, False),
        ("properties.n <= 5", {"properties": {"n": 5}}, True),
        ("properties.n <=5", {"properties": {"n": 5}}, False),
        # A falsy value part-way through a path is the result.
        ("properties.a.b = 0", {"properties": {"a": 0}}, True),
        ("properties.a.b = false", {"properties": {"a": False}}, True),
        ("properties.x = 0", {"properties": 0}, True),
        # JavaScript property access: lengths, indexes, inherited properties.
        ("properties.items.length > 1", {"properties": {"items": [1, 2]}}, True),
        ('properties.items.\\0.sku = "A"', {"properties": {"items": [{"sku": "A"}]}}, True),
        ('properties.items.0.sku = "A"', {"properties": {"items": [{"sku": "A"}]}}, False),
        ("properties.sku.length = 2", {"properties": {"sku": "😀"}}, True),
        ("properties.constructor != null", {"properties": {}}, True),
        ('properties.constructor.name = "Object"', {"properties": {}}, True),
        ("properties.f\\.g = 1", {"properties": {"f": {"g": 1}}}, True),
        ("properties.f\\.g = 1", {"properties": {"f.g": 1}}, False),
        ('properties.x\\ y = "z"', {"properties": {"x y": "z"}}, True),
        ("properties\\. != null", {"properties": {"": 1}}, False),
        ('properties = "x"', {"properties": {"properties": "x"}}, True),
        ('type.foo = "track"', {"type": "track"}, True),
        # Unknown parts are skipped; "!" negates only functions.
        ('foo = "x" and type = "track"', {"type": "track"}, True),
        ('!type = "x"', {"type": "x"}, True),
        ('!(type = "x")', {"type": "x"}, True),
        ('userId = "a" an', {"userId": "a"}, True),
        # Functions.
        ('!contains(properties.a, "x")', {"properties": {}}, False),
        ('!contains(properties.a, "x")', {"properties": {"a": "b"}}, True),
        ("contains(properties.a, 5)", {"properties": {"a": "15"}}, True),
        ('contains(properties.a, "x")', {"properties": {"a": ["x"]}}, False),
        ('match(event, "Product*")', {"event": "Product Added"}, True),
        ('match(event, "*Added")', {"event": "Product Added"}, True),
        ('match(event, "Added")', {"event": "Product dded"}, True),
        ('match(event, "*")', {"event": ""}, True),
        ('!match(event, "Order*")', {}, False),
        ('match(event, "😀x")', {"event": "a😀x"}, True),
        ('properties.a contains "x"', {"properties": {"a": "axb"}}, True),
        ('contains(event "x")', {"event": "a)"}, True),
        ('(contains(event, "x"))', {"event": "axb"}, True),
        ('traits.email != null', {"traits": {"email": None}}, False),
        ('context.page.url = "https://x"', {"context": {"page": {"url": "https://x"}}}, True),
        ("properties.n = 9007199254740993", {"properties": {"n": 9007199254740992}}, True),
    ],
)
def test_quirks_match_production(text: str, event: dict, expected: bool) -> None:
    assert matches(text, event) is expected


def test_parsed_tree_shows_how_production_grouped_the_conditions() -> None:
    tree = parse_subscription('type = "a" and event = "b" or name = "c"').tree
    assert tree.operator == "or"
    assert [child.target for child in tree.children] == ["event-type", "event", "name"]
    assert parse_subscription('properties.n = 5').tree == Group(
        "and", (Condition("event-property", "number_equals", 5.0, "n", 0),)
    )


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("", "subscription is empty", 0),
        ("   ", "subscription is empty", 0),
        ('foo = "x"', "no condition production recognizes", 0),
        ("type", "has no value", 0),
        ('type = "track', "string is never closed", 7),
        ('type = "a"b', "closing quote", 9),
        ('type!="x"', "'!=' must be followed by a space", 4),
        ('type = #', "invalid character '#'", 7),
        ('type = "x"\r', "closing quote", 9),
        ("properties.n = 1..2", "more than one decimal point", 17),
        ("properties.n = 1.", "ends with a decimal point", 16),
        ('(type = "a"', "'(' is never closed", 0),
        ('((type = "a") or type = "b")', "parentheses cannot be nested", 1),
        ("()", "hold no condition", 0),
        ("contains", "missing its first argument", 0),
        ("contains(", "missing its second argument", 0),
        ("an", "no condition production recognizes", 0),
        ('type = "a" x"', "must end with", 12),
    ],
)
def test_unparseable_subscriptions_say_what_and_where(text: str, reason: str, position: int) -> None:
    with pytest.raises(SubscriptionSyntaxError) as caught:
        parse_subscription(text)
    assert reason in caught.value.message
    assert caught.value.position == position
    assert f"at position {position}" in caught.value.message
    assert caught.value.subscription == text


def test_positions_count_characters_not_utf16_units() -> None:
    with pytest.raises(SubscriptionSyntaxError) as caught:
        parse_subscription('properties.a = "😀" #')
    assert caught.value.position == 19


@pytest.mark.parametrize("text", [None, 5, b'type = "track"', ["type"]])
def test_non_string_subscription_is_rejected(text: object) -> None:
    with pytest.raises(SubscriptionSyntaxError, match="must be a string"):
        parse_subscription(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "event", "reason"),
    [
        ('type = "a" and ()', {"type": "a"}, "'()' holds no condition"),
        ("properties\\.\\. = 1", {"properties": {}}, "no property name"),
        ("properties.constructor.caller = 1", {"properties": {}}, "'caller'"),
    ],
)
def test_subscriptions_production_cannot_evaluate_fail_the_event(text: str, event: dict, reason: str) -> None:
    subscription = parse_subscription(text)
    with pytest.raises(SubscriptionEvaluationError, match=re.escape(reason)):
        subscription.matches(event)


def test_evaluation_short_circuits_before_the_broken_part() -> None:
    assert matches('type = "a" and ()', {"type": "b"}) is False
    assert matches('type = "a" or ()', {"type": "a"}) is True


@pytest.mark.parametrize("event", [None, [], "track", 5])
def test_event_must_be_an_object(event: object) -> None:
    with pytest.raises(InvalidEventError, match="JSON object"):
        matches('type = "track"', event)  # type: ignore[arg-type]


def test_parsing_is_cached() -> None:
    first = parse_subscription('type = "track"')
    assert parse_subscription('type = "track"') is first
    assert isinstance(first, Subscription)
    assert repr(first) == "Subscription('type = \"track\"')"
