"""The tester's tools under /__admin: health, journal, state, reset."""

from __future__ import annotations

from mock_cordial.journal import BODY_LIMIT
from tests.mock.conftest import send_production


def test_health(cordial_mock):
    assert cordial_mock.client.get("/__admin/health").json() == {"status": "ok"}


def test_journal_records_every_surface_request(cordial_mock, production):
    send_production(cordial_mock, production["product-added"])
    cordial_mock.rest.get("/contacts", params={"per_page": "5"})
    cordial_mock.client.get("/nowhere")
    cordial_mock.client.get("/__admin/state")  # the tools themselves are not journaled
    listing = cordial_mock.client.get("/__admin/requests").json()
    assert listing["count"] == 3
    first, second, third = listing["requests"]
    assert (first["method"], first["path"], first["surface"], first["operation"]) == (
        "POST",
        "/api/segment/addProductToCart",
        "ingest",
        "addProductToCart",
    )
    assert first["body"]["productID"] == "p-1"
    assert first["headers"]["User-Agent"] == "Segment (Actions)"
    assert first["headers"]["X-Api-Key"] == "[redacted]"
    assert first["response"] == {
        "status": 202,
        "dropped": False,
        "headers": {"Content-Type": "application/json"},
        "body": {"success": "success"},
    }
    assert first["verdict"] == {"checked": True, "conforms": True, "request": [], "response": []}
    assert first["durationMs"] >= 0 and first["time"].endswith("Z")
    assert second["query"] == "per_page=5"
    assert second["response"]["status"] == 200
    assert (third["surface"], third["response"]["status"], third["verdict"]["checked"]) == (None, 404, False)
    assert [e["id"] for e in listing["requests"]] == sorted(e["id"] for e in listing["requests"])


def test_journal_filters(cordial_mock):
    cordial_mock.ingest("upsertContact", {"segmentId": "u"})
    cordial_mock.ingest("upsertContact", {"segmentId": "u"}, api_key=" ")
    cordial_mock.rest.get("/contacts")
    cordial_mock.rest.get("/contacts/nobody@example.com")

    def paths(**params):
        entries = cordial_mock.client.get("/__admin/requests", params=params).json()["requests"]
        return [(e["method"], e["path"], e["response"]["status"]) for e in entries]

    assert paths(path="/api/*") == [
        ("POST", "/api/segment/upsertContact", 202),
        ("POST", "/api/segment/upsertContact", 401),
    ]
    assert paths(status="401") == [("POST", "/api/segment/upsertContact", 401)]
    assert paths(status="4xx") == [
        ("POST", "/api/segment/upsertContact", 401),
        ("GET", "/v2/contacts/nobody@example.com", 404),
    ]
    assert paths(status="2xx", method="get") == [("GET", "/v2/contacts", 200)]
    assert paths(path="/v2/contacts") == [("GET", "/v2/contacts", 200)]
    assert paths(limit="1") == [("GET", "/v2/contacts/nobody@example.com", 404)]


def test_journal_rejects_bad_filters(cordial_mock):
    for params in ({"status": "abc"}, {"limit": "-1"}, {"colour": "red"}):
        answer = cordial_mock.client.get("/__admin/requests", params=params)
        assert answer.status_code == 400
        assert answer.headers["content-type"] == "application/problem+json"


def test_clearing_the_journal(cordial_mock):
    cordial_mock.ingest("upsertContact", {"segmentId": "u"})
    assert cordial_mock.client.delete("/__admin/requests").json() == {"success": True}
    assert cordial_mock.client.get("/__admin/requests").json() == {"count": 0, "requests": []}
    # the state is untouched
    assert len(cordial_mock.state()["contacts"]) == 1


def test_state_shows_every_kind_of_record(cordial_mock, production):
    for name in ("identify", "track", "product-added", "order-completed", "group-named"):
        send_production(cordial_mock, production[name])
    state = cordial_mock.client.get("/__admin/state").json()
    assert set(state) == {"contacts", "lists", "carts", "orders", "activities"}
    (person,) = state["contacts"]
    assert person["segmentIds"] == ["user-1"] and person["anonymousIds"] == ["anon-1"]
    assert state["lists"] == [
        {"id": 1, "name": "VIP-Customers", "enhanced": False, "count": 1, "members": [person["cID"]]}
    ]
    assert list(state["carts"]) == [person["cID"]]
    assert [o["orderID"] for o in state["orders"]] == ["order-1"]
    assert [a["action"] for a in state["activities"]] == ["Signed Up"]


def test_reset_empties_the_state_and_restarts_list_ids(cordial_mock, production):
    send_production(cordial_mock, production["group-named"])
    cordial_mock.ingest("upsertContact", {"segmentId": "u"}, headers={"Idempotency-Key": "k1"})
    assert cordial_mock.client.post("/__admin/reset").json() == {"success": True}
    assert cordial_mock.state() == {"contacts": [], "lists": [], "carts": {}, "orders": [], "activities": []}
    created = cordial_mock.rest.post("/accountlists", json={"name": "fresh"}).json()
    assert created["id"] == 1
    # idempotency keys are forgotten with the state
    again = cordial_mock.ingest("upsertContact", {"segmentId": "u"}, headers={"Idempotency-Key": "k1"})
    assert "idempotent-replayed" not in again.headers
    assert len(cordial_mock.state()["contacts"]) == 1


def test_admin_errors_are_problems(cordial_mock):
    for answer in (
        cordial_mock.client.get("/__admin/nothing"),
        cordial_mock.client.put("/__admin/reset"),
        cordial_mock.client.post(
            "/__admin/faults", content=b"nope", headers={"content-type": "application/json"}
        ),
        cordial_mock.client.post("/__admin/faults", content=b"{}", headers={"content-type": "text/plain"}),
        cordial_mock.client.post("/__admin/faults"),
    ):
        assert answer.status_code in (400, 404, 405, 415)
        assert answer.headers["content-type"] == "application/problem+json"


def test_large_bodies_are_journaled_cut_short(cordial_mock):
    cordial_mock.ingest("upsertContact", {"segmentId": "u", "attributes": {"bio": "x" * (BODY_LIMIT + 10)}})
    (entry,) = cordial_mock.control.requests()
    assert entry["response"]["status"] == 202
    assert isinstance(entry["body"], str)
    assert entry["body"].endswith("bytes in all)")
    assert len(entry["body"]) < BODY_LIMIT + 100
    # the state has all of it
    assert len(cordial_mock.state()["contacts"][0]["attributes"]["bio"]) == BODY_LIMIT + 10
