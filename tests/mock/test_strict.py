"""Contract validation: 422 with pointers in strict mode, a journaled verdict without it."""

from __future__ import annotations

import httpx
import pytest

from mock_cordial import create_app


@pytest.fixture
def lenient():
    app = create_app(strict=False)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock") as client:
        yield client


def violations(answer):
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["errorKey"] == "CONTRACT_VIOLATION"
    return {(v["location"], v["pointer"], v["rule"]) for v in body["violations"]}


def test_ingest_violations_name_each_pointer_and_rule(cordial_mock):
    body = {"segmentId": "u", "productID": "p", "qty": "two", "category": "c", "name": "n", "extra": 1}
    answer = cordial_mock.ingest("addProductToCart", body)
    assert violations(answer) == {
        ("body", "/qty", "type"),
        ("body", "/sku", "required"),
        ("body", "/extra", "additionalProperties"),
    }
    assert "addProductToCart" in answer.json()["detail"]
    assert cordial_mock.state()["contacts"] == []


def test_nested_pointers(cordial_mock):
    body = {
        "segmentId": "u",
        "orderID": "o",
        "purchaseDate": "2026-01-01T00:00:00Z",
        "status": "s",
        "totalAmount": 1,
        "items": [
            {"productID": "p", "sku": "s", "name": "n"},
            {"productID": "p", "sku": "s", "name": "n", "qty": 1.5},
        ],
        "discountApplication": {"type": "percent", "amount": 5},
    }
    assert violations(cordial_mock.ingest("upsertOrder", body)) == {
        ("body", "/items/1/qty", "type"),
        ("body", "/discountApplication/type", "const"),
    }


def test_rest_parameters_and_bodies_are_validated(cordial_mock):
    assert ("query", "/per_page", "minimum") in violations(
        cordial_mock.rest.get("/contacts", params={"per_page": 0})
    )
    assert ("path", "/id", "type") in violations(cordial_mock.rest.get("/accountlists/abc"))
    assert ("body", "/channels", "required") in violations(cordial_mock.rest.post("/contacts", json={"x": 1}))
    assert ("body", "", "required") in violations(
        cordial_mock.rest.post("/contacts", headers={"content-type": "application/json"})
    )
    assert ("path", "/qty", "minimum") in violations(
        cordial_mock.rest.delete("/contacts/a@b.c/cartitems/p/0/s")
    )


def test_violations_are_journaled_in_strict_mode(cordial_mock):
    cordial_mock.ingest("upsertContact", {"segmentId": 5})
    (entry,) = cordial_mock.control.requests()
    assert entry["response"]["status"] == 422
    assert entry["verdict"]["conforms"] is False
    assert entry["verdict"]["request"] == [
        {"location": "body", "pointer": "/segmentId", "rule": "type", "message": "5 is not of type 'string'"}
    ]


def test_without_strict_the_request_is_served_and_the_verdict_recorded(lenient):
    body = {"segmentId": "u", "productID": "p", "qty": 2, "surprise": True}
    answer = lenient.post("/api/segment/addProductToCart", json=body, headers={"x-api-key": "k"})
    assert answer.status_code == 202
    entry = lenient.get("/__admin/requests").json()["requests"][0]
    assert entry["verdict"]["conforms"] is False
    assert {(v["pointer"], v["rule"]) for v in entry["verdict"]["request"]} == {
        ("/sku", "required"),
        ("/category", "required"),
        ("/name", "required"),
        ("/surprise", "additionalProperties"),
    }
    cart = lenient.get("/__admin/state").json()["carts"]
    assert [item["qty"] for c in cart.values() for item in c["cartitems"]] == [2]


def test_without_strict_unusable_values_still_get_a_clear_error(lenient):
    answer = lenient.get("/v2/contacts", params={"per_page": "zero"}, auth=("k", ""))
    assert answer.status_code == 422
    assert "per_page" in answer.json()["detail"]
    answer = lenient.get("/v2/accountlists/abc", auth=("k", ""))
    assert answer.status_code == 404


def test_conforming_requests_have_a_clean_verdict(cordial_mock):
    cordial_mock.ingest("upsertContact", {"segmentId": "u"})
    cordial_mock.rest.get("/contacts")
    assert [e["verdict"]["conforms"] for e in cordial_mock.control.requests()] == [True, True]


def test_unknown_paths_on_a_surface_are_violations(cordial_mock):
    cordial_mock.client.get("/v2/products", auth=("k", ""))
    (entry,) = cordial_mock.control.requests()
    assert entry["verdict"]["checked"] is True
    assert entry["verdict"]["request"][0]["rule"] == "paths"
