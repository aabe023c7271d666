"""The contract validator: what the mock's strict mode relies on for every request."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import MethodNotAllowed, NoSuchPath, RouteError, Violation, load_contract

DATA = Path(__file__).parent / "data"

ORDER = {
    "segmentIdKey": "segment_id",
    "segmentId": "u1",
    "orderID": "o1",
    "purchaseDate": "2024-01-01T00:00:00Z",
    "status": "Order Completed",
    "totalAmount": 10,
    "properties": {"coupon": None},
    "items": [{"productID": "p", "sku": "s", "name": "n", "qty": 2, "properties": {}}],
    "discountApplication": None,
}


def production_bodies() -> list[dict]:
    lines = (DATA / "production_bodies.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip()]


def ingest_violations(action: str, body, content_type: str | None = "application/json") -> list[Violation]:
    match = load_contract("ingest").match("POST", f"/api/segment/{action}")
    return match.operation.validate_request(
        path_params=match.path_params, query={}, headers={}, content_type=content_type, body=body
    )


def rules(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.pointer, v.rule) for v in violations}


# -- loading ---------------------------------------------------------------


def test_contracts_are_loaded_once_and_unknown_names_are_refused():
    assert load_contract("ingest") is load_contract("ingest")
    assert load_contract("rest-v2").name == "rest-v2"
    assert load_contract("ingest").document["openapi"].startswith("3.1")
    with pytest.raises(ValueError, match="unknown contract 'v3'"):
        load_contract("v3")  # type: ignore[arg-type]


# -- production's bodies ---------------------------------------------------


def test_fixture_covers_every_action_with_hundreds_of_bodies():
    bodies = production_bodies()
    assert len(bodies) >= 300
    assert {row["action"] for row in bodies} == {
        "createContactactivity",
        "upsertContact",
        "addContactToList",
        "removeContactFromList",
        "addProductToCart",
        "removeProductFromCart",
        "upsertOrder",
        "mergeContacts",
    }


def test_every_body_production_sent_is_accepted():
    contract = load_contract("ingest")
    rejected = []
    for row in production_bodies():
        match = contract.match(row["method"], urlsplit(row["url"]).path)
        assert match.operation.operation_id == row["action"]
        violations = match.operation.validate_request(
            path_params=match.path_params,
            query={},
            headers={"content-type": "application/json"},
            content_type="application/json",
            body=json.loads(row["body"]),
        )
        if violations:
            rejected.append((row["id"], [v.to_json() for v in violations]))
    assert not rejected, f"{len(rejected)} production bodies rejected, first: {rejected[:3]}"


def test_production_quirks_are_accepted():
    # [""] / [null] mapped to a string field is unwrapped to "" by validation; the root rule does not see it.
    assert ingest_violations("createContactactivity", {"segmentId": "", "action": ""}) == []
    # Null item values are coerced ("" for strings, 0 for numbers); a huge integer is written 1e+300.
    item = {"productID": "", "sku": "", "name": "", "qty": 0, "itemPrice": 0, "category": ""}
    assert ingest_violations("upsertOrder", {**ORDER, "items": [item]}) == []
    assert (
        ingest_violations(
            "addProductToCart",
            json.loads('{"productID":"p","sku":"s","qty":1e+300,"category":"c","name":"n"}'),
        )
        == []
    )
    # datetime fields are numbers or date-like strings
    assert ingest_violations("upsertOrder", {**ORDER, "purchaseDate": -5.5}) == []
    assert ingest_violations("createContactactivity", {"action": "a", "time": "March 7, 2020"}) == []
    # free-form objects hold anything, null included; upsertContact can send {}
    assert ingest_violations("upsertContact", {"userIdentities": {"a": None, "b": [1, {"c": ""}]}}) == []
    assert ingest_violations("upsertContact", {}) == []
    assert (
        ingest_violations("upsertOrder", {**ORDER, "discountApplication": {"type": "fixed", "amount": -2.5}})
        == []
    )


# -- bodies production never sends -------------------------------------------


@pytest.mark.parametrize(
    ("action", "body", "expected"),
    [
        ("upsertOrder", {**ORDER, "extra": 1}, {("/extra", "additionalProperties")}),
        ("upsertOrder", {k: v for k, v in ORDER.items() if k != "status"}, {("/status", "required")}),
        (
            "upsertOrder",
            {k: v for k, v in ORDER.items() if k != "discountApplication"},
            {("/discountApplication", "required")},
        ),
        (
            "upsertOrder",
            {**ORDER, "items": [{"productID": "p", "sku": "s", "name": "n", "qty": "2"}]},
            {("/items/0/qty", "type")},
        ),
        (
            "upsertOrder",
            {**ORDER, "items": [{"productID": "p", "sku": "s", "name": "n", "qty": 2.5}]},
            {("/items/0/qty", "type")},
        ),
        (
            "upsertOrder",
            {**ORDER, "items": [{"productID": "p", "name": "n", "manufacturerNname": "b"}]},
            {
                ("/items/0/sku", "required"),
                ("/items/0/manufacturerNname", "additionalProperties"),
            },
        ),
        (
            "upsertOrder",
            {**ORDER, "items": {"productID": "p", "sku": "s", "name": "n"}},
            {("/items", "type")},
        ),
        ("upsertOrder", {**ORDER, "items": [None]}, {("/items/0", "type")}),
        (
            "upsertOrder",
            {**ORDER, "discountApplication": {"type": "fixed", "amount": 0}},
            {("/discountApplication/amount", "not")},
        ),
        (
            "upsertOrder",
            {**ORDER, "discountApplication": {"type": "percent", "amount": 5}},
            {("/discountApplication/type", "const")},
        ),
        (
            "upsertOrder",
            {**ORDER, "discountApplication": {}},
            {
                ("/discountApplication/type", "required"),
                ("/discountApplication/amount", "required"),
            },
        ),
        ("upsertOrder", {**ORDER, "purchaseDate": True}, {("/purchaseDate", "type")}),
        ("upsertOrder", {**ORDER, "purchaseDate": "not a date"}, {("/purchaseDate", "pattern")}),
        ("upsertOrder", {**ORDER, "totalAmount": "10"}, {("/totalAmount", "type")}),
        ("upsertOrder", {**ORDER, "properties": []}, {("/properties", "type")}),
        ("createContactactivity", {"action": "a", "segmentId": None}, {("/segmentId", "type")}),
        ("createContactactivity", {"action": "a", "segmentId": 12}, {("/segmentId", "type")}),
        (
            "createContactactivity",
            {"action": "a", "attributes": {}},
            {("/attributes", "additionalProperties")},
        ),
        ("createContactactivity", {"action": "a", "userIdentities": ["x"]}, {("/userIdentities", "type")}),
        ("upsertContact", {"segmentIdKey": 5}, {("/segmentIdKey", "type")}),
        ("addContactToList", {"listName": "VIP"}, {("/groupId", "required")}),
        (
            "removeContactFromList",
            {"groupId": "g", "listName": "VIP"},
            {("/listName", "additionalProperties")},
        ),
        (
            "addProductToCart",
            {"productID": "p", "sku": "s", "qty": 1, "name": "n"},
            {("/category", "required")},
        ),
        ("removeProductFromCart", {"productID": "p", "qty": None}, {("/qty", "type")}),
        ("mergeContacts", {"segmentId": "u"}, {("/previousId", "required")}),
        (
            "mergeContacts",
            {"previousId": "p", "userIdentities": {}},
            {("/userIdentities", "additionalProperties")},
        ),
        ("mergeContacts", ["previousId"], {("", "type")}),
    ],
)
def test_bodies_production_never_sends_are_rejected_with_pointer_and_rule(action, body, expected):
    violations = ingest_violations(action, body)
    assert rules(violations) == expected
    assert all(v.location == "body" and v.message for v in violations)


def test_key_names_with_slashes_are_escaped_in_pointers():
    violations = ingest_violations("upsertContact", {"a/b~c": 1})
    assert rules(violations) == {("/a~1b~0c", "additionalProperties")}


def test_violation_serialises_to_the_four_documented_members():
    (violation,) = ingest_violations("removeProductFromCart", {"productID": "p", "qty": "x"})
    assert violation.to_json() == {
        "location": "body",
        "pointer": "/qty",
        "rule": "type",
        "message": violation.message,
    }
    assert "integer" in violation.message


# -- content type and body presence -----------------------------------------


def test_content_type_must_be_json_and_body_is_required():
    assert ingest_violations("upsertContact", {}, "application/json; charset=utf-8") == []
    assert rules(ingest_violations("upsertContact", {}, "text/plain")) == {("/Content-Type", "contentType")}
    assert rules(ingest_violations("upsertContact", {}, None)) == {("/Content-Type", "contentType")}
    assert rules(ingest_violations("upsertContact", None)) == {("", "required")}


def test_check_auth_takes_no_body():
    operation = load_contract("ingest").match("GET", "/api/checkAuth").operation
    common = {"path_params": {}, "query": {}, "headers": {}, "content_type": None}
    assert operation.validate_request(**common, body=None) == []
    assert rules(operation.validate_request(**common, body={"a": 1})) == {("", "requestBody")}


# -- matching --------------------------------------------------------------


def test_unknown_paths_raise_no_such_path():
    contract = load_contract("ingest")
    for path in ["/api/segment/unknownAction", "/api/segment/upsertOrder/", "/v2/contacts", "/"]:
        with pytest.raises(NoSuchPath):
            contract.match("POST", path)


def test_known_path_with_wrong_method_raises_method_not_allowed_with_allowed_methods():
    with pytest.raises(MethodNotAllowed) as caught:
        load_contract("ingest").match("GET", "/api/segment/upsertOrder")
    assert caught.value.allowed == ["POST"]
    with pytest.raises(MethodNotAllowed) as caught:
        load_contract("rest-v2").match("PATCH", "/v2/contacts/email:a@b.c")
    assert caught.value.allowed == ["DELETE", "GET", "PUT"]
    with pytest.raises(MethodNotAllowed) as caught:
        load_contract("ingest").match("DELETE", "/api/checkAuth")
    assert caught.value.allowed == ["GET"]
    assert isinstance(caught.value, RouteError)


def test_method_is_case_insensitive_and_repeated_slashes_are_folded():
    # A destination endpoint with a trailing slash sends //api/segment/...
    match = load_contract("ingest").match("post", "//api/segment/upsertOrder")
    assert match.operation.operation_id == "upsertOrder"
    assert match.operation.method == "POST"
    assert match.operation.path_template == "/api/segment/upsertOrder"


def test_concrete_paths_win_over_templates_and_parameters_are_extracted():
    contract = load_contract("rest-v2")
    assert contract.match("POST", "/v2/contacts/merge").operation.operation_id == "mergeContacts"
    match = contract.match("GET", "/v2/contacts/email:a@b.c")
    assert match.operation.operation_id == "getContact"
    assert match.path_params == {"primaryKey": "email:a@b.c"}
    match = contract.match("DELETE", "/v2/contacts/cID:abc/cartitems/p-1/2/sku-9")
    assert match.operation.operation_id == "removeContactCartItem"
    assert match.path_params == {"primaryKey": "cID:abc", "productID": "p-1", "qty": "2", "sku": "sku-9"}
    with pytest.raises(NoSuchPath):
        contract.match("GET", "/v2/contacts/email:a@b.c/cartitems/p-1")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "OPTIONS"])
def test_a_concrete_path_is_never_read_as_a_template(method):
    # /v2/contacts/merge names the merge resource, not the contact "merge": its methods are its own.
    contract = load_contract("rest-v2")
    with pytest.raises(MethodNotAllowed) as caught:
        contract.match(method, "/v2/contacts/merge")
    assert caught.value.allowed == ["POST"]
    assert contract.methods("/v2/contacts/merge") == ["POST"]
    assert contract.methods("/v2/contacts/merger") == ["DELETE", "GET", "PUT"]
    assert contract.methods("/v2/nothing") == []


def test_decoded_paths_keep_question_marks_and_trailing_newlines_as_path_characters():
    contract = load_contract("rest-v2")
    assert contract.match_decoded("GET", "/v2/orders/a?b").path_params == {"orderID": "a?b"}
    assert contract.match("GET", "/v2/orders/a?b").path_params == {"orderID": "a"}  # a request target
    with pytest.raises(NoSuchPath):
        contract.match_decoded("DELETE", "/v2/contacts/x/cart\n")


# -- parameters -------------------------------------------------------------


def rest_request(method: str, path: str, *, query=None, body=None, content_type=None) -> list[Violation]:
    match = load_contract("rest-v2").match(method, path)
    return match.operation.validate_request(
        path_params=match.path_params, query=query or {}, headers={}, content_type=content_type, body=body
    )


def test_path_parameters_are_read_as_their_type():
    assert rest_request("DELETE", "/v2/contacts/email:a@b.c/cartitems/p/3/s") == []
    assert rules(rest_request("DELETE", "/v2/contacts/email:a@b.c/cartitems/p/three/s")) == {("/qty", "type")}
    assert rules(rest_request("DELETE", "/v2/contacts/email:a@b.c/cartitems/p/0/s")) == {("/qty", "minimum")}
    assert rules(rest_request("GET", "/v2/accountlists/abc")) == {("/id", "type")}
    assert all(v.location == "path" for v in rest_request("GET", "/v2/accountlists/abc"))
    assert rest_request("GET", "/v2/accountlists/12") == []


def test_query_parameters_are_typed_and_unknown_ones_ignored():
    ok = {"page": ["2"], "per_page": ["50"], "sort_dir": ["desc"], "return_count": ["true"], "other": ["x"]}
    assert rest_request("GET", "/v2/orders", query=ok) == []
    bad = {"page": ["0"], "per_page": ["many"], "sort_dir": ["up"], "return_count": ["yes"]}
    violations = rest_request("GET", "/v2/orders", query=bad)
    assert rules(violations) == {
        ("/page", "minimum"),
        ("/per_page", "type"),
        ("/sort_dir", "enum"),
        ("/return_count", "type"),
    }
    assert {v.location for v in violations} == {"query"}
    assert rest_request("GET", "/v2/contactactivities", query={"time[gte]": ["2024-01-01T00:00:00Z"]}) == []
    assert rules(rest_request("GET", "/v2/contactactivities", query={"time[gte]": ["yesterday"]})) == {
        ("/time[gte]", "pattern")
    }


def test_rest_v2_bodies_are_validated():
    assert (
        rest_request(
            "POST",
            "/v2/contacts",
            body={"channels": {"email": {"address": "a@b.c"}}, "age": 3},
            content_type="application/json",
        )
        == []
    )
    assert rules(
        rest_request("POST", "/v2/contacts", body={"channels": {}}, content_type="application/json")
    ) == {("/channels/email", "required")}


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("segment_group-1", None),
        ("x" * 128, None),
        ("", "pattern"),
        ("x" * 129, "pattern"),
        ("with space", "pattern"),
        ("caf\u00e9", "pattern"),
        ("trailing\n", "pattern"),  # ECMA 262's $, which JSON Schema follows, does not match before a newline
        ("cid", "not"),
        ("CiD", "not"),
    ],
)
def test_account_list_names_follow_cordial_s_rule(name, broken):
    for method, path in (("POST", "/v2/accountlists"), ("PUT", "/v2/accountlists/1")):
        found = rules(rest_request(method, path, body={"name": name}, content_type="application/json"))
        assert found == (set() if broken is None else {("/name", broken)})


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("2024-04-31", False),
        ("0000-01-01", False),
        ("0001-01-01T00:00+23:59", True),
        ("2024-01-01 23:59:59.123456789-0530", True),
        ("2024-01-01T24:00", False),
        ("2024-01-01T10:60", False),
        ("2024-01-01T10:00+24:00", False),
        ("2024-01-01T10:00Z\n", False),
    ],
)
def test_date_filters_admit_only_dates_on_the_calendar(value, valid):
    found = rest_request("GET", "/v2/orders", query={"purchaseDate[gte]": [value]})
    assert rules(found) == (set() if valid else {("/purchaseDate[gte]", "pattern")})


# -- responses --------------------------------------------------------------


def test_ingest_responses():
    operation = load_contract("ingest").match("POST", "/api/segment/upsertContact").operation
    assert (
        operation.validate_response(status=202, content_type="application/json", body={"success": "success"})
        == []
    )
    assert operation.validate_response(status=200, content_type="application/json", body={}) == []
    assert rules(operation.validate_response(status=200, content_type="application/json", body={"a": 1})) == {
        ("", "maxProperties")
    }
    denied = {"error": "Access Denied: Authentication Failure"}
    assert operation.validate_response(status=401, content_type="application/json", body=denied) == []
    problem = {"type": "about:blank", "title": "Unauthorized", "status": 401, **denied}
    assert (
        operation.validate_response(status=401, content_type="application/problem+json", body=problem) == []
    )
    wrong = operation.validate_response(status=401, content_type="application/json", body={"error": "nope"})
    assert rules(wrong) == {("/error", "const")}
    undocumented = operation.validate_response(status=500, content_type="application/json", body={})
    assert [(v.location, v.rule) for v in undocumented] == [("status", "responses")]


def test_problem_responses_need_problem_json():
    operation = load_contract("rest-v2").match("GET", "/v2/orders/o1").operation
    problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no order o1"}
    assert (
        operation.validate_response(status=404, content_type="application/problem+json", body=problem) == []
    )
    assert rules(operation.validate_response(status=404, content_type="application/json", body=problem)) == {
        ("/Content-Type", "contentType")
    }
    assert rules(
        operation.validate_response(status=404, content_type="application/problem+json", body={})
    ) == {
        ("/type", "required"),
        ("/title", "required"),
        ("/status", "required"),
    }
    assert rules(operation.validate_response(status=200, content_type="application/json", body=None)) == {
        ("", "required")
    }


# -- never raises, and fast ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
odd_values = st.one_of(
    json_values,
    st.binary(max_size=4),
    st.sets(st.integers(), max_size=3),
    st.dictionaries(st.integers(), st.integers(), max_size=2),
    st.just(10**40),
)


@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "head", "bogus", ""]),
    path=st.one_of(
        st.sampled_from(["/api/segment/upsertOrder", "/v2/contacts/x", "/v2/orders"]), st.text(max_size=30)
    ),
    body=odd_values,
    content_type=st.one_of(
        st.none(), st.sampled_from(["application/json", "text/plain", ";", ""]), st.text(max_size=10)
    ),
    query=st.dictionaries(
        st.sampled_from(["page", "per_page", "email", "x"]), st.lists(st.text(max_size=5), max_size=2)
    ),
    status=st.integers(min_value=0, max_value=999),
)
def test_matching_and_validation_never_raise(method, path, body, content_type, query, status):
    for name in ("ingest", "rest-v2"):
        try:
            match = load_contract(name).match(method, path)
        except RouteError:
            continue
        violations = match.operation.validate_request(
            path_params=match.path_params, query=query, headers={}, content_type=content_type, body=body
        )
        assert all(isinstance(v, Violation) for v in violations)
        assert isinstance(
            match.operation.validate_response(status=status, content_type=content_type, body=body), list
        )


def test_deeply_nested_bodies_are_reported_not_raised():
    nested: list = []
    for _ in range(5000):
        nested = [nested]
    violations = ingest_violations("upsertOrder", {**ORDER, "items": nested})
    assert violations and all(isinstance(v, Violation) for v in violations)


def test_matching_and_validating_an_ingest_request_is_fast():
    contract = load_contract("ingest")
    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        match = contract.match("POST", "/api/segment/upsertOrder")
        match.operation.validate_request(
            path_params=match.path_params, query={}, headers={}, content_type="application/json", body=ORDER
        )
    per_request = (time.perf_counter() - started) / rounds
    assert per_request < 250e-6, f"{per_request * 1e6:.1f} µs per request (target < 50 µs)"


def test_header_parameters_required_query_parameters_and_comma_separated_arrays():
    from contracts.openapi import Contract

    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "integer"}},
                        {"name": "kind", "in": "query", "required": True, "schema": {"type": "string"}},
                        {
                            "name": "ids",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
                        },
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    operation = Contract("custom", document).match("GET", "/things").operation
    common = {"path_params": {}, "content_type": None, "body": None}
    ok = operation.validate_request(
        headers={"x-tenant": "7"}, query={"kind": ["a"], "ids": ["1,2"]}, **common
    )
    assert ok == []
    missing = operation.validate_request(headers={}, query={}, **common)
    assert {(v.location, v.pointer, v.rule) for v in missing} == {
        ("header", "/X-Tenant", "required"),
        ("query", "/kind", "required"),
    }
    wrong = operation.validate_request(
        headers={"X-TENANT": "x"}, query={"kind": ["a"], "ids": ["1,b,3,4"]}, **common
    )
    assert {(v.location, v.pointer, v.rule) for v in wrong} == {
        ("header", "/X-Tenant", "type"),
        ("query", "/ids/1", "type"),
        ("query", "/ids", "maxItems"),
    }
    assert operation.validate_response(status=204, content_type=None, body=None) == []
    assert [v.rule for v in operation.validate_response(status=204, content_type=None, body={})] == [
        "content"
    ]
