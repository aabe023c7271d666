"""Fault injection: injected answers, delays, dropped connections, counts, probability, rate limit."""

from __future__ import annotations

import time

import httpx
import pytest

from mock_cordial import create_app
from mock_cordial.wsgi import ConnectionDropped

UPSERT = {"segmentIdKey": "segment_id", "segmentId": "u1"}


def add_fault(mock, **rule):
    answer = mock.client.post("/__admin/faults", json=rule)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_injected_status_body_and_headers_for_the_next_n_requests(cordial_mock):
    rule = add_fault(
        cordial_mock,
        method="POST",
        path="/api/segment/*",
        status=503,
        body={"error": "maintenance"},
        headers={"Retry-After": "7"},
        times=2,
    )
    assert rule["remaining"] == 2 and rule["applied"] == 0
    answers = [cordial_mock.ingest("upsertContact", UPSERT) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 202]
    assert answers[0].json() == {"error": "maintenance"}
    assert answers[0].headers["retry-after"] == "7"
    # the injected answers did not touch the state
    (entry,) = cordial_mock.client.get("/__admin/faults").json()["faults"]
    assert (entry["remaining"], entry["applied"]) == (0, 2)
    assert len(cordial_mock.state()["contacts"]) == 1
    journal = cordial_mock.control.requests()
    assert [(e["response"]["status"], e["fault"]) for e in journal] == [
        (503, rule["id"]),
        (503, rule["id"]),
        (202, None),
    ]
    assert journal[0]["verdict"]["response"] is None  # an injected answer is not judged


def test_rules_match_method_and_path(cordial_mock):
    add_fault(cordial_mock, method="GET", path="/v2/contacts*", status=500, body="boom")
    assert cordial_mock.ingest("upsertContact", UPSERT).status_code == 202
    assert cordial_mock.rest.post("/accountlists", json={"name": "l"}).status_code == 200
    answer = cordial_mock.rest.get("/contacts/email:x@y.z")
    assert answer.status_code == 500
    assert answer.text == "boom"
    assert answer.headers["content-type"].startswith("text/plain")


def test_faults_apply_before_authentication_and_routing(cordial_mock):
    add_fault(cordial_mock, status=502, times=2)
    assert cordial_mock.client.get("/api/checkAuth").status_code == 502
    assert cordial_mock.client.get("/does/not/exist").status_code == 502
    assert cordial_mock.client.get("/__admin/health").status_code == 200  # tools are never faulted


def test_delay_then_normal_answer(cordial_mock):
    add_fault(cordial_mock, path="/api/checkAuth", delay=0.3, times=1)
    started = time.perf_counter()
    answer = cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"})
    assert answer.status_code == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"})
    assert time.perf_counter() - started < 0.3


def test_delay_with_a_status(cordial_mock):
    add_fault(cordial_mock, delay=0.2, status=504, times=1)
    started = time.perf_counter()
    assert cordial_mock.ingest("upsertContact", UPSERT).status_code == 504
    assert time.perf_counter() - started >= 0.2


def test_dropped_connection_in_process(cordial_mock):
    add_fault(cordial_mock, path="/api/segment/upsertContact", drop=True, times=1)
    with pytest.raises(ConnectionDropped):
        cordial_mock.ingest("upsertContact", UPSERT)
    assert cordial_mock.ingest("upsertContact", UPSERT).status_code == 202
    dropped = cordial_mock.control.requests()[0]
    assert dropped["response"]["dropped"] is True and dropped["response"]["status"] == 0
    assert len(cordial_mock.state()["contacts"]) == 1


def test_probability_applies_to_about_that_share(cordial_mock):
    add_fault(cordial_mock, path="/api/checkAuth", status=500, probability=0.5)
    statuses = [
        cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code for _ in range(200)
    ]
    failed = statuses.count(500)
    assert 60 < failed < 140
    assert set(statuses) == {200, 500}


def test_rules_apply_in_order_and_can_be_removed(cordial_mock):
    first = add_fault(cordial_mock, status=500, times=1)
    add_fault(cordial_mock, status=503)
    assert cordial_mock.client.get("/api/checkAuth").status_code == 500
    assert cordial_mock.client.get("/api/checkAuth").status_code == 503
    assert cordial_mock.client.delete(f"/__admin/faults/{first['id']}").status_code == 200
    assert cordial_mock.client.delete(f"/__admin/faults/{first['id']}").status_code == 404
    assert len(cordial_mock.client.get("/__admin/faults").json()["faults"]) == 1
    assert cordial_mock.client.delete("/__admin/faults").json() == {"success": True}
    assert cordial_mock.client.get("/__admin/faults").json() == {"faults": [], "rateLimit": None}
    assert cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code == 200


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({}, "needs status, drop or delay"),
        ({"status": 99}, "status"),
        ({"status": 500, "drop": True}, "not both"),
        ({"delay": -1}, "delay"),
        ({"delay": 61}, "delay"),
        ({"status": 500, "times": 0}, "times"),
        ({"status": 500, "probability": 0}, "probability"),
        ({"status": 500, "probability": 1.5}, "probability"),
        ({"status": 500, "headers": {"X": 1}}, "headers"),
        ({"status": 500, "method": "GET POST"}, "method"),
        ({"body": "x"}, "need a status"),
        ({"status": 500, "colour": "red"}, "unknown"),
        ([], "JSON object"),
    ],
)
def test_bad_rules_are_refused(cordial_mock, rule, message):
    answer = cordial_mock.client.post("/__admin/faults", json=rule)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert message in answer.json()["detail"]
    assert cordial_mock.client.get("/__admin/faults").json()["faults"] == []


def test_rate_limit_answers_429_with_retry_after(cordial_mock):
    answer = cordial_mock.client.put("/__admin/rate-limit", json={"requests_per_second": 3, "retry_after": 2})
    assert answer.json() == {"rateLimit": {"requests_per_second": 3, "retry_after": 2}}
    # stay inside one clock second
    while time.time() % 1 > 0.5:
        time.sleep(0.05)
    answers = [cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    limited = answers[3]
    assert limited.headers["retry-after"] == "2"
    assert limited.headers["content-type"] == "application/problem+json"
    assert cordial_mock.client.get("/__admin/rate-limit").json()["rateLimit"]["requests_per_second"] == 3
    cordial_mock.client.delete("/__admin/rate-limit")
    assert cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code == 200


def test_rate_limit_resets_each_second(cordial_mock):
    cordial_mock.client.put("/__admin/rate-limit", json={"requests_per_second": 1})
    while time.time() % 1 > 0.5:
        time.sleep(0.05)
    assert cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code == 200
    assert cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code == 429
    time.sleep(1.0 - time.time() % 1 + 0.01)
    assert cordial_mock.client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code == 200


def test_bad_rate_limits_are_refused(cordial_mock):
    for spec in (
        {"requests_per_second": 0},
        {"requests_per_second": "5"},
        {"retry_after": 1},
        {"requests_per_second": 1, "retry_after": -1},
    ):
        answer = cordial_mock.client.put("/__admin/rate-limit", json=spec)
        assert answer.status_code == 422, spec
    assert cordial_mock.client.get("/__admin/rate-limit").json() == {"rateLimit": None}


def test_an_injected_text_body_labelled_json_is_journaled_as_text(cordial_mock):
    add_fault(
        cordial_mock, status=500, body="not json", headers={"Content-Type": "application/json"}, times=1
    )
    answer = cordial_mock.client.get("/api/checkAuth")
    assert (answer.status_code, answer.text, answer.headers["content-type"]) == (
        500,
        "not json",
        "application/json",
    )
    (entry,) = cordial_mock.control.requests()
    assert entry["response"]["body"] == "not json"


def test_every_instance_sharing_a_file_sees_rule_changes_at_once(tmp_path):
    """Two apps over one database file stand for two server processes: a change made through one applies
    to the next request the other serves, and so does its removal."""
    db = str(tmp_path / "state.sqlite")
    first, second = create_app(db_path=db), create_app(db_path=db)
    client = httpx.Client(transport=httpx.WSGITransport(app=second), base_url="http://mock")
    headers = {"x-api-key": "k"}
    assert client.get("/api/checkAuth", headers=headers).status_code == 200
    first.extensions["cordial_mock"].add_fault({"path": "/api/checkAuth", "status": 503})
    assert client.get("/api/checkAuth", headers=headers).status_code == 503
    first.extensions["cordial_mock"].set_rate_limit({"requests_per_second": 1, "retry_after": 3})
    first.extensions["cordial_mock"].clear_faults()
    statuses = [client.get("/api/checkAuth", headers=headers).status_code for _ in range(3)]
    assert statuses[-1] == 429
    first.extensions["cordial_mock"].set_rate_limit(None)
    assert client.get("/api/checkAuth", headers=headers).status_code == 200
