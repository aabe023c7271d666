"""Example tests from SPEC.md: what production sends (bodies recorded from production)."""

from __future__ import annotations

import pytest

from reference import Destination, PayloadValidationError, Settings
from reference.errors import UnknownActionError

WITH_KEY = Destination(Settings("key", endpoint="https://cordial.test", segment_id_key="segment_id"))
NO_KEY = Destination(Settings("key", endpoint="https://cordial.test"))

ORDER_COMPLETED = {
    "type": "track",
    "event": "Order Completed",
    "userId": "u1",
    "timestamp": "1631210000",
    "properties": {
        "order_id": "o1",
        "total": "546.05",
        "discount": 2.5,
        "products": [
            {"product_id": "p1", "sku": "S", "name": "N", "brand": "Acme", "quantity": "2", "price": 19.0}
        ],
    },
}


def test_page_event_becomes_page_view_activity() -> None:
    event = {
        "type": "page",
        "name": "Home",
        "userId": "u1",
        "timestamp": "2026-11-02T09:14:05.120Z",
        "properties": {"path": "/"},
    }
    request = WITH_KEY.build_request("createContactactivity", event)
    assert request.method == "POST"
    assert request.url == "https://cordial.test/api/segment/createContactactivity"
    assert request.content == (
        b'{"segmentIdKey":"segment_id","segmentId":"u1","action":"pageView",'
        b'"time":"2026-11-02T09:14:05.120Z","properties":{"path":"/"}}'
    )


def test_trailing_slash_endpoint_is_concatenated_as_is() -> None:
    dest = Destination(Settings("key", endpoint="https://cordial.test/"))
    request = dest.build_request("upsertContact", {"type": "identify", "userId": "u1", "anonymousId": "a1"})
    assert request.url == "https://cordial.test//api/segment/upsertContact"
    assert request.content == b'{"segmentId":"u1","anonymousId":"a1"}'


def test_order_with_discount_and_manufacturer_typo_dropped() -> None:
    request = WITH_KEY.build_request("upsertOrder", ORDER_COMPLETED)
    assert request.content == (
        b'{"segmentIdKey":"segment_id","segmentId":"u1","orderID":"o1","purchaseDate":"1631210000",'
        b'"status":"Order Completed","totalAmount":546.05,"properties":{"discount":2.5},'
        b'"items":[{"productID":"p1","sku":"S","name":"N","itemPrice":19,"qty":2,"properties":{}}],'
        b'"discountApplication":{"type":"fixed","amount":2.5}}'
    )
    assert b"manufacturer" not in request.content


def test_order_without_discount_sends_null_discount() -> None:
    event = {
        "type": "track",
        "event": "Order Updated",
        "userId": "u1",
        "timestamp": "2026-11-02T09:14:05Z",
        "properties": {
            "order_id": 123,
            "total": 10,
            "discount": 0,
            "products": [{"product_id": "p1", "sku": "S", "name": "N"}],
        },
    }
    assert NO_KEY.build_request("upsertOrder", event).content == (
        b'{"segmentId":"u1","orderID":"123","purchaseDate":"2026-11-02T09:14:05Z","status":"Order Updated",'
        b'"totalAmount":10,"properties":{"discount":0},"items":[{"productID":"p1","sku":"S","name":"N",'
        b'"properties":{}}],"discountApplication":null}'
    )


def test_coercion_as_production_does() -> None:
    event = {
        "type": "track",
        "event": "Product Added",
        "userId": "u1",
        "properties": {
            "product_id": 123,
            "sku": "s",
            "quantity": "2",
            "category": "c",
            "name": "n",
            "price": "9.5",
            "brand": "Acme",
        },
    }
    assert NO_KEY.build_request("addProductToCart", event).content == (
        b'{"segmentId":"u1","productID":"123","sku":"s","qty":2,"category":"c","name":"n","itemPrice":9.5,'
        b'"properties":{"brand":"Acme"}}'
    )
    removed = {"type": "track", "anonymousId": "a1", "properties": {"product_id": "p1", "quantity": [3]}}
    assert NO_KEY.build_request("removeProductFromCart", removed).content == (
        b'{"anonymousId":"a1","productID":"p1","qty":3}'
    )


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        (
            {"product_id": "p1", "quantity": 1, "category": "c", "name": "n"},
            "The root value is missing the required field 'sku'.",
        ),
        (
            {"product_id": "p1", "sku": "s", "quantity": "2.5", "category": "c", "name": "n"},
            "Quantity must be an integer but it was a string.",
        ),
    ],
)
def test_rejected_events_carry_production_message(properties: dict, message: str) -> None:
    event = {"type": "track", "event": "Product Added", "userId": "u1", "properties": properties}
    with pytest.raises(PayloadValidationError) as info:
        NO_KEY.build_request("addProductToCart", event)
    assert info.value.message == message
    assert info.value.errors and info.value.errors[0]["field"]


def test_merge_contacts_key_order() -> None:
    event = {"type": "alias", "userId": "u1", "anonymousId": "a1", "previousId": "a0"}
    assert WITH_KEY.build_request("mergeContacts", event).content == (
        b'{"segmentIdKey":"segment_id","anonymousId":"a1","segmentId":"u1","previousId":"a0"}'
    )


def test_empty_list_name_is_not_sent() -> None:
    event = {"type": "group", "userId": "u1", "groupId": "g1", "traits": {"name": ""}}
    assert NO_KEY.build_request("addContactToList", event).content == b'{"segmentId":"u1","groupId":"g1"}'


@pytest.mark.parametrize(
    ("event", "actions"),
    [
        ({"type": "track", "event": "Product Added"}, ["createContactactivity", "addProductToCart"]),
        ({"type": "track", "event": "Product Removed"}, ["createContactactivity", "removeProductFromCart"]),
        ({"type": "track", "event": "Order Completed"}, ["createContactactivity", "upsertOrder"]),
        ({"type": "identify", "event": "Order Completed"}, ["upsertContact", "upsertOrder"]),
        ({"type": "page"}, ["createContactactivity"]),
        ({"type": "group", "groupId": "g"}, ["addContactToList"]),
        ({"type": "alias"}, ["mergeContacts"]),
        ({"type": "screen"}, []),
    ],
)
def test_routing_by_default_subscriptions(event: dict, actions: list[str]) -> None:
    assert NO_KEY.route(event) == actions


def test_headers_and_custom_mapping() -> None:
    request = NO_KEY.build_request(
        "upsertContact",
        {"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"}},
        mapping={"userIdentities": {"channels.email.address": {"@path": "$.traits.email"}}},
    )
    assert request.headers["x-api-key"] == "key"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {"segmentId": "u1", "userIdentities": {"channels.email.address": "a@example.com"}}


def test_unknown_action_is_a_clear_error() -> None:
    with pytest.raises(UnknownActionError, match="upsertContact"):
        NO_KEY.build_request("upsertContacts", {"type": "identify"})
