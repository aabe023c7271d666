"""Sending prepared requests with httpx and turning failures into typed errors.

The transport is injectable, so tests and the in-process mock need no socket:
pass ``httpx.WSGITransport(app=mock_app)`` (sync) or an ``httpx.MockTransport``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from reference.errors import (
    DeliveryError,
    InvalidCredentialsError,
    NonRetryableError,
    RetryableError,
)
from reference.requests import PreparedRequest

DEFAULT_TIMEOUT = 10.0


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_for_response(response: httpx.Response) -> DeliveryError | None:
    """The error production reports for this answer, or None below 400."""
    status = response.status_code
    if status < 400:
        return None
    body = response.text
    try:
        where = f"{response.request.method} {response.request.url}"
    except RuntimeError:  # a response built by hand has no request
        where = "request"
    if status in (401, 403):
        return InvalidCredentialsError(f"{where} answered {status}: the API key was refused", status, body)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RetryableError(f"{where} answered 429 Too Many Requests", status, body, retry_after)
    if status >= 500:
        return RetryableError(f"{where} answered {status}", status, body)
    return NonRetryableError(f"{where} answered {status}", status, body)


def _transport_error(request: PreparedRequest, exc: httpx.TransportError) -> RetryableError:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return RetryableError(f"{request.method} {request.url} {kind}: {exc!r}")


def _to_httpx(request: PreparedRequest) -> dict:
    return {
        "method": request.method,
        "url": request.url,
        "headers": request.headers,
        "content": request.content,
    }


def _checked(response: httpx.Response) -> httpx.Response:
    error = error_for_response(response)
    if error is not None:
        raise error
    return response


def send(request: PreparedRequest, client: httpx.Client) -> httpx.Response:
    """Send once; raise a :class:`DeliveryError` subclass for 400+ and transport failures."""
    try:
        response = client.request(**_to_httpx(request))
    except httpx.TransportError as exc:
        raise _transport_error(request, exc) from exc
    except httpx.InvalidURL as exc:
        raise NonRetryableError(f"{request.url} is not a valid URL: {exc}") from exc
    return _checked(response)


async def send_async(request: PreparedRequest, client: httpx.AsyncClient) -> httpx.Response:
    """The async twin of :func:`send`."""
    try:
        response = await client.request(**_to_httpx(request))
    except httpx.TransportError as exc:
        raise _transport_error(request, exc) from exc
    except httpx.InvalidURL as exc:
        raise NonRetryableError(f"{request.url} is not a valid URL: {exc}") from exc
    return _checked(response)
