"""The two OpenAPI documents: valid OpenAPI 3.1, complete, and true to production's fields."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from contracts import load_document
from contracts.check import DocumentReport, check_document, check_documents
from cordial_harness.commands.contracts import contracts

ACTIONS = [
    "createContactactivity",
    "upsertContact",
    "addContactToList",
    "removeContactFromList",
    "addProductToCart",
    "removeProductFromCart",
    "upsertOrder",
    "mergeContacts",
]

REST_V2_OPERATIONS = {
    ("POST", "/v2/contacts"),
    ("GET", "/v2/contacts"),
    ("GET", "/v2/contacts/{primaryKey}"),
    ("PUT", "/v2/contacts/{primaryKey}"),
    ("DELETE", "/v2/contacts/{primaryKey}"),
    ("POST", "/v2/contacts/merge"),
    ("POST", "/v2/contacts/{primaryKey}/cart"),
    ("PUT", "/v2/contacts/{primaryKey}/cart"),
    ("DELETE", "/v2/contacts/{primaryKey}/cart"),
    ("POST", "/v2/contacts/{primaryKey}/cartitems"),
    ("DELETE", "/v2/contacts/{primaryKey}/cartitems/{productID}/{qty}/{sku}"),
    ("POST", "/v2/contactactivities"),
    ("GET", "/v2/contactactivities"),
    ("POST", "/v2/orders"),
    ("GET", "/v2/orders"),
    ("GET", "/v2/orders/{orderID}"),
    ("PUT", "/v2/orders/{orderID}"),
    ("DELETE", "/v2/orders/{orderID}"),
    ("POST", "/v2/accountlists"),
    ("GET", "/v2/accountlists"),
    ("GET", "/v2/accountlists/{id}"),
    ("PUT", "/v2/accountlists/{id}"),
    ("DELETE", "/v2/accountlists/{id}"),
}

FIELD_TYPES = {
    "string": "string",
    "text": "string",
    "password": "string",
    "datetime": ["string", "number"],
    "integer": "integer",
    "number": "number",
    "object": "object",
}


def operations(document: dict) -> dict[tuple[str, str], dict]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    }


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        target: dict = document
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@pytest.mark.parametrize("name", ["ingest", "rest-v2"])
def test_documents_are_valid_openapi_3_1(name):
    document = load_document(name)
    assert document["openapi"] == "3.1.0"
    validate(document)
    report = check_document(name)
    assert report.ok, report.errors


def test_check_reports_broken_documents_instead_of_raising():
    broken = copy.deepcopy(load_document("ingest"))
    schema = broken["paths"]["/api/segment/upsertOrder"]["post"]["requestBody"]["content"]["application/json"]
    schema["schema"] = {"$ref": "#/components/schemas/Nowhere"}
    report = check_document("ingest", broken)
    assert not report.ok
    assert "Nowhere" in " ".join(report.errors)

    duplicated = copy.deepcopy(load_document("rest-v2"))
    duplicated["paths"]["/v2/orders"]["get"]["operationId"] = "createOrder"
    assert any("createOrder" in error for error in check_document("rest-v2", duplicated).errors)

    dangling_link = copy.deepcopy(load_document("rest-v2"))
    links = dangling_link["paths"]["/v2/orders"]["post"]["responses"]["200"]["links"]
    links["GetCreatedOrder"]["parameters"] = {"orderId": "$request.body#/orderID"}
    assert any("'orderId'" in error for error in check_document("rest-v2", dangling_link).errors)


def test_ingest_has_check_auth_and_one_post_per_action_with_api_key_auth():
    document = load_document("ingest")
    assert set(operations(document)) == {("GET", "/api/checkAuth")} | {
        ("POST", f"/api/segment/{action}") for action in ACTIONS
    }
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "x-api-key")
    assert document["security"] == [{"apiKey": []}]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_ingest_action_documents_success_and_problem_answers(action):
    document = load_document("ingest")
    responses = operations(document)[("POST", f"/api/segment/{action}")]["responses"]
    assert set(responses) == {"200", "202", "400", "401", "404", "405", "413", "415", "422", "429"}
    for status, response in responses.items():
        content = resolve(document, response)["content"]
        if status.startswith("4"):
            assert "application/problem+json" in content, status
    accepted = resolve(document, responses["202"])["content"]["application/json"]["schema"]
    assert accepted["properties"]["success"] == {"const": "success"}
    unauthorized = resolve(document, responses["401"])["content"]["application/json"]["schema"]
    assert resolve(document, unauthorized)["properties"]["error"] == {
        "const": "Access Denied: Authentication Failure"
    }


def test_ingest_bodies_have_exactly_production_fields_and_types(production_metadata):
    document = load_document("ingest")
    for action, definition in production_metadata["actions"].items():
        operation = operations(document)[("POST", f"/api/segment/{action}")]
        body = resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
        fields = definition["fields"]
        assert set(body["properties"]) == {"segmentIdKey", *fields}, action
        required = {key for key, field in fields.items() if field["required"] is True}
        if action == "upsertOrder":
            required.add("discountApplication")  # sent as null when there is no fixed discount
        assert set(body.get("required", [])) == required, action
        assert body["additionalProperties"] is False
        for key, field in fields.items():
            schema = resolve(document, body["properties"][key])
            expected = "array" if field["multiple"] else FIELD_TYPES[field["type"]]
            if key == "discountApplication":
                expected = ["object", "null"]
            assert schema["type"] == expected, (action, key)
            if field["type"] == "object" and field.get("properties"):
                declared = schema if not field["multiple"] else resolve(document, schema["items"])
                assert set(declared["properties"]) == set(field["properties"]), (action, key)
                item_required = {k for k, f in field["properties"].items() if f["required"] is True}
                assert set(declared.get("required", [])) == item_required or key == "discountApplication"


def test_rest_v2_has_the_mocked_slice_with_basic_auth():
    document = load_document("rest-v2")
    assert set(operations(document)) == REST_V2_OPERATIONS
    assert document["components"]["securitySchemes"]["basicAuth"] == {
        "type": "http",
        "scheme": "basic",
        "description": document["components"]["securitySchemes"]["basicAuth"]["description"],
    }
    for (method, path), operation in operations(document).items():
        statuses = set(operation["responses"])
        assert {"401", "405", "429"} <= statuses, (method, path)
        assert any(status.startswith("2") for status in statuses), (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= statuses, (method, path)
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert list(resolve(document, response)["content"]) == ["application/problem+json"]


def test_rest_v2_links_let_stateful_tests_follow_created_records():
    document = load_document("rest-v2")
    ops = operations(document)
    created_contact = ops[("POST", "/v2/contacts")]["responses"]["201"]["links"]
    assert created_contact["GetCreatedContact"]["operationId"] == "getContact"
    created_order = ops[("POST", "/v2/orders")]["responses"]["200"]["links"]
    assert created_order["GetCreatedOrder"] == {
        "operationId": "getOrder",
        "parameters": {"orderID": "$request.body#/orderID"},
    }


def test_cli_check_prints_a_summary_and_exits_zero_when_documents_are_valid():
    result = CliRunner().invoke(contracts, ["check"])
    assert result.exit_code == 0, result.output
    assert "ingest" in result.output and "rest-v2" in result.output
    assert "23" in result.output and "OK" in result.output


def test_cli_check_exits_one_and_lists_errors(monkeypatch):
    failing = [DocumentReport("ingest", "cordial-ingest.openapi.yaml", 9, ("paths: something is wrong",))]
    monkeypatch.setattr("contracts.check.check_documents", lambda: failing)
    result = CliRunner().invoke(contracts, ["check"])
    assert result.exit_code == 1
    assert "something is wrong" in result.output


def test_shipped_documents_all_check_clean():
    assert [(report.name, report.ok) for report in check_documents()] == [("ingest", True), ("rest-v2", True)]
