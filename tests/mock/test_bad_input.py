"""Bad requests get problem+json with the right status, and change no state."""

from __future__ import annotations

import base64

import httpx
import pytest

from mock_cordial import create_app
from mock_cordial.problems import AUTH_FAILURE

CONTACT = {"channels": {"email": {"address": "a@example.com"}}}
UPSERT = {"segmentIdKey": "segment_id", "segmentId": "u1", "attributes": {"plan": "gold"}}


def assert_problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    return body


@pytest.fixture
def seeded(cordial_mock):
    """A mock holding one contact, so "changed no state" is not trivially true."""
    cordial_mock.ingest("upsertContact", {"segmentIdKey": "segment_id", "segmentId": "seed"})
    return cordial_mock


def test_non_json_body_is_400(seeded):
    before = seeded.state()
    for raw in (b"{not json", b'{"a": NaN}', b'{"a": 1e999}', b"\xff\xfe", b"[" * 100):
        answer = seeded.client.post(
            "/api/segment/upsertContact",
            content=raw,
            headers={"x-api-key": "k", "content-type": "application/json"},
        )
        body = assert_problem(answer, 400)
        assert body["errorKey"] == "INVALID_JSON"
        answer = seeded.rest.post("/contacts", content=raw, headers={"content-type": "application/json"})
        assert_problem(answer, 400)
    assert seeded.state() == before


def test_a_lone_surrogate_escape_is_accepted_and_kept_as_the_replacement_character(cordial_mock):
    # JSON.stringify writes a string cut inside an emoji as a lone escape: production sends it.
    raw = b'{"segmentIdKey":"segment_id","segmentId":"u\\ud83d","attributes":{"note\\udc00":"a\\ud83d"}}'
    answer = cordial_mock.client.post(
        "/api/segment/upsertContact",
        content=raw,
        headers={"x-api-key": "k", "content-type": "application/json"},
    )
    assert answer.status_code == 202, answer.text
    [stored] = cordial_mock.state()["contacts"]
    assert stored["segmentIds"] == ["u\ufffd"]
    assert stored["attributes"] == {"segment_id": "u\ufffd", "note\ufffd": "a\ufffd"}
    sent = cordial_mock.control.requests()[-1]["body"]
    assert sent["segmentId"] == "u\ud83d"  # the journal keeps what was sent


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(seeded, content_type):
    before = seeded.state()
    headers = {"x-api-key": "k"}
    if content_type:
        headers["content-type"] = content_type
    answer = seeded.client.post("/api/segment/upsertContact", content=b'{"segmentId": "x"}', headers=headers)
    assert_problem(answer, 415)
    answer = seeded.rest.post("/contacts", content=b"{}", headers={"content-type": content_type or ""})
    assert_problem(answer, 415)
    assert seeded.state() == before


def test_json_with_a_charset_is_accepted(cordial_mock):
    answer = cordial_mock.client.post(
        "/api/segment/upsertContact",
        content=b'{"segmentId": "x"}',
        headers={"x-api-key": "k", "content-type": "application/json; charset=utf-8"},
    )
    assert answer.status_code == 202


def test_body_over_the_limit_is_413():
    app = create_app(max_body_bytes=200)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock") as client:
        big = {"segmentId": "u", "attributes": {"x": "y" * 300}}
        answer = client.post("/api/segment/upsertContact", json=big, headers={"x-api-key": "k"})
        assert_problem(answer, 413)
        small = client.post("/api/segment/upsertContact", json={"segmentId": "u"}, headers={"x-api-key": "k"})
        assert small.status_code == 202
        state = client.get("/__admin/state").json()
        assert [c["segmentIds"] for c in state["contacts"]] == [["u"]]


def test_default_limit_is_one_mebibyte(cordial_mock):
    padding = "x" * (1 << 20)
    answer = cordial_mock.ingest("upsertContact", {"segmentId": "u", "attributes": {"p": padding}})
    assert_problem(answer, 413)
    assert cordial_mock.state()["contacts"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/segment/nothing"), ("POST", "/api/unknown"), ("GET", "/v2/products"), ("GET", "/nowhere")],
)
def test_unknown_path_is_404(seeded, method, path):
    before = seeded.state()
    answer = seeded.client.request(method, path, headers={"x-api-key": "k"}, auth=("k", ""))
    assert_problem(answer, 404)
    assert seeded.state() == before


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/api/segment/upsertContact", ["POST"]),
        ("POST", "/api/checkAuth", ["GET"]),
        ("PATCH", "/v2/contacts", ["GET", "POST"]),
        ("POST", "/v2/orders/o-1", ["DELETE", "GET", "PUT"]),
        # A concrete path wins over a template: "merge" is not a contact key.
        ("GET", "/v2/contacts/merge", ["POST"]),
        ("DELETE", "/v2/contacts/merge", ["POST"]),
    ],
)
def test_wrong_method_is_405_with_allow(seeded, method, path, allowed):
    before = seeded.state()
    answer = seeded.client.request(method, path, headers={"x-api-key": "k"}, auth=("k", ""))
    body = assert_problem(answer, 405)
    assert body["allowed"] == allowed
    assert answer.headers["allow"] == ", ".join(allowed)
    assert seeded.state() == before


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v2/accountlists", "GET, POST, HEAD, OPTIONS"),
        ("/v2/contacts/merge", "POST, OPTIONS"),
        ("/v2/contacts/email:a@b.c", "DELETE, GET, PUT, HEAD, OPTIONS"),
        ("/api/segment/upsertContact", "POST, OPTIONS"),
        ("/api/checkAuth", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_lists_exactly_the_methods_of_the_resource(seeded, path, allowed):
    answer = seeded.client.options(path)  # no credentials: HTTP's own method, like a CORS preflight
    assert answer.status_code == 204
    assert answer.headers["allow"] == allowed
    assert answer.content == b""
    [entry] = seeded.control.requests(method="OPTIONS")
    assert entry["response"]["status"] == 204


def test_options_on_an_unknown_path_is_404(seeded):
    assert_problem(seeded.client.options("/v2/products"), 404)


def test_ingest_without_or_with_a_blank_key_is_401(seeded):
    before = seeded.state()
    for headers in ({}, {"x-api-key": ""}, {"x-api-key": "   "}):
        answer = seeded.client.post("/api/segment/upsertContact", json=UPSERT, headers=headers)
        body = assert_problem(answer, 401)
        assert body["error"] == AUTH_FAILURE
        assert_problem(seeded.client.get("/api/checkAuth", headers=headers), 401)
    assert seeded.state() == before


def test_rest_without_basic_credentials_is_401(seeded):
    before = seeded.state()
    bad_auth = [
        {},
        {"authorization": "Bearer abc"},
        {"authorization": "Basic !!!"},
        {"authorization": "Basic " + base64.b64encode(b":secret").decode()},
    ]
    for headers in bad_auth:
        answer = seeded.client.post("/v2/contacts", json=CONTACT, headers=headers)
        assert_problem(answer, 401)
        assert answer.headers["www-authenticate"].startswith("Basic")
    # the ingest key header is not REST's credential
    assert_problem(seeded.client.get("/v2/contacts", headers={"x-api-key": "k"}), 401)
    assert seeded.state() == before


def test_configured_keys_are_the_only_keys_accepted():
    app = create_app(api_keys=["good-key"])
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock") as client:
        assert client.get("/api/checkAuth", headers={"x-api-key": "good-key"}).status_code == 200
        body = assert_problem(client.get("/api/checkAuth", headers={"x-api-key": "other"}), 401)
        assert body["error"] == "Access Denied: Authentication Failure"
        assert client.get("/v2/contacts", auth=("good-key", "")).status_code == 200
        assert_problem(client.get("/v2/contacts", auth=("other", "")), 401)


def test_refusals_are_journaled_with_redacted_credentials(seeded):
    seeded.client.post(
        "/api/segment/upsertContact",
        content=b"{oops",
        headers={"x-api-key": "secret-key", "content-type": "application/json"},
    )
    seeded.client.get("/v2/contacts", auth=("secret-key", ""))
    entries = seeded.control.requests(status="4xx")
    assert [e["response"]["status"] for e in entries] == [400]
    ok = seeded.control.requests(path="/v2/*")[0]
    assert ok["headers"]["Authorization"] == "Basic [redacted]"
    bad = entries[0]
    assert bad["headers"]["X-Api-Key"] == "[redacted]"
    assert bad["body"] == "{oops"
    assert "secret-key" not in str(seeded.control.requests())


def test_a_bad_request_never_reaches_the_state_even_without_strict_validation():
    app = create_app(strict=False)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock") as client:
        before = client.get("/__admin/state").json()
        for body in (
            [1, 2],
            "text",
            {"segmentId": "u", "qty": "x", "productID": "p"},
            {"segmentId": {"a": 1}},
        ):
            answer = client.post("/api/segment/addProductToCart", json=body, headers={"x-api-key": "k"})
            assert_problem(answer, 422)
        assert client.get("/__admin/state").json() == before
