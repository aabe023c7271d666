"""Idempotency-Key: the first answer is given again and the request is applied once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

CART = {"segmentId": "u1", "productID": "p", "sku": "s", "qty": 1, "category": "c", "name": "n"}


def cart_qty(mock):
    carts = mock.state()["carts"]
    return [item["qty"] for cart in carts.values() for item in cart["cartitems"]]


def test_a_repeated_key_replays_the_first_answer_without_applying_twice(cordial_mock):
    headers = {"Idempotency-Key": "retry-1"}
    first = cordial_mock.ingest("addProductToCart", CART, headers=headers)
    second = cordial_mock.ingest("addProductToCart", CART, headers=headers)
    assert (
        (first.status_code, first.json())
        == (second.status_code, second.json())
        == (202, {"success": "success"})
    )
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert cart_qty(cordial_mock) == [1]
    assert [e["replayed"] for e in cordial_mock.control.requests()] == [False, True]


def test_other_keys_and_no_key_apply_again(cordial_mock):
    cordial_mock.ingest("addProductToCart", CART, headers={"Idempotency-Key": "a"})
    cordial_mock.ingest("addProductToCart", CART, headers={"Idempotency-Key": "b"})
    cordial_mock.ingest("addProductToCart", CART)
    assert cart_qty(cordial_mock) == [3]


def test_keys_are_scoped_by_api_key(cordial_mock):
    cordial_mock.ingest("addProductToCart", CART, api_key="key-1", headers={"Idempotency-Key": "same"})
    cordial_mock.ingest("addProductToCart", CART, api_key="key-2", headers={"Idempotency-Key": "same"})
    assert cart_qty(cordial_mock) == [2]


def test_rest_answers_are_replayed_too(cordial_mock):
    body = {"channels": {"email": {"address": "a@example.com"}}}
    first = cordial_mock.rest.post("/contacts", json=body, headers={"Idempotency-Key": "c"})
    second = cordial_mock.rest.post("/contacts", json=body, headers={"Idempotency-Key": "c"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()  # the same cID, created once
    assert len(cordial_mock.rest.get("/contacts").json()) == 1


def test_a_refused_operation_is_replayed_as_refused(cordial_mock):
    body = {"orderID": "o", "cID": "nobody", "purchaseDate": "2026-01-01T00:00:00Z"}
    first = cordial_mock.rest.post("/orders", json=body, headers={"Idempotency-Key": "o"})
    second = cordial_mock.rest.post("/orders", json=body, headers={"Idempotency-Key": "o"})
    assert first.status_code == second.status_code == 404  # the contact does not exist
    assert first.json() == second.json()
    assert second.headers["content-type"] == "application/problem+json"


def test_concurrent_requests_with_one_key_apply_once(cordial_mock):
    def send(_):
        return cordial_mock.ingest("addProductToCart", CART, headers={"Idempotency-Key": "race"}).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(send, range(20))) == {202}
    assert cart_qty(cordial_mock) == [1]


def test_an_overlong_key_is_a_bad_request(cordial_mock):
    answer = cordial_mock.ingest("addProductToCart", CART, headers={"Idempotency-Key": "k" * 300})
    assert answer.status_code == 400
    assert cordial_mock.state()["carts"] == {}
