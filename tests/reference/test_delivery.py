"""Delivery: responses of 400 or more become typed errors that keep status and body."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from reference import (
    Destination,
    InvalidCredentialsError,
    NonRetryableError,
    RetryableError,
    Settings,
)
from reference.delivery import parse_retry_after

EVENT = {"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"}}


def _destination(handler) -> Destination:
    return Destination(
        Settings("key", endpoint="https://cordial.test", segment_id_key="segment_id"),
        transport=httpx.MockTransport(handler),
        async_transport=httpx.MockTransport(handler),
    )


def test_sends_what_it_builds() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"success": "success"})

    dest = _destination(handler)
    response = dest.send("upsertContact", EVENT)
    assert response.status_code == 202
    (request,) = seen
    built = dest.build_request("upsertContact", EVENT)
    assert request.method == "POST"
    assert str(request.url) == "https://cordial.test/api/segment/upsertContact"
    assert request.headers["x-api-key"] == "key"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.content == built.content == b'{"segmentIdKey":"segment_id","segmentId":"u1"}'


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [
        (401, InvalidCredentialsError, False),
        (403, InvalidCredentialsError, False),
        (400, NonRetryableError, False),
        (404, NonRetryableError, False),
        (422, NonRetryableError, False),
        (429, RetryableError, True),
        (500, RetryableError, True),
        (503, RetryableError, True),
    ],
)
def test_error_statuses(status: int, error: type, retryable: bool) -> None:
    dest = _destination(
        lambda request: httpx.Response(status, text='{"error":"x"}', headers={"Retry-After": "7"})
    )
    with pytest.raises(error) as info:
        dest.send("upsertContact", EVENT)
    assert info.value.status == status
    assert info.value.body == '{"error":"x"}'
    assert info.value.retryable is retryable
    if status == 429:
        assert info.value.retry_after == 7.0


def test_connection_errors_and_timeouts_are_retryable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler in (refuse, slow):
        with pytest.raises(RetryableError) as info:
            _destination(handler).send("upsertContact", EVENT)
        assert info.value.status is None


def test_async_send() -> None:
    dest = _destination(lambda request: httpx.Response(503))
    with pytest.raises(RetryableError):
        asyncio.run(dest.send_async("upsertContact", EVENT))
    ok = _destination(lambda request: httpx.Response(200, json={}))
    assert asyncio.run(ok.send_async("upsertContact", EVENT)).status_code == 200


def test_check_auth() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers["x-api-key"] != "key":
            return httpx.Response(401, json={"error": "Access Denied: Authentication Failure"})
        return httpx.Response(200, json={})

    _destination(handler).test_authentication()
    assert seen[0].method == "GET" and seen[0].url.path == "/api/checkAuth"
    bad = Destination(
        Settings("wrong", endpoint="https://cordial.test"), transport=httpx.MockTransport(handler)
    )
    with pytest.raises(InvalidCredentialsError) as info:
        bad.test_authentication()
    assert "Authentication Failure" in info.value.body


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
