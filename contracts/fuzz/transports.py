"""Delivering a request to a mock: in process through WSGI (no socket) or over HTTP.

The target is the path as production sends it (``//api/...`` when the
endpoint setting ends in a slash), so both transports hand it over untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx
from werkzeug.test import EnvironBuilder, run_wsgi_app

__all__ = ["Answer", "DeliveryFailed", "HttpTransport", "Transport", "WsgiTransport"]

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


@dataclass(frozen=True)
class Answer:
    """What the mock answered."""

    status: int
    content_type: str | None
    body: bytes


class DeliveryFailed(Exception):
    """No answer came back (connection refused, timeout, dropped connection)."""


class Transport(Protocol):
    def send(self, method: str, target: str, headers: Mapping[str, str], content: bytes) -> Answer:
        """Send one request; raises DeliveryFailed when no answer comes back."""
        ...

    def close(self) -> None: ...


class WsgiTransport:
    """Calls a WSGI application directly, keeping the path exactly as given."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def send(self, method: str, target: str, headers: Mapping[str, str], content: bytes) -> Answer:
        path, _, query = target.partition("?")
        environ = EnvironBuilder(
            path="/", method=method, headers=dict(headers), data=content, query_string=query or None
        ).get_environ()
        environ["PATH_INFO"] = path  # the builder would read a leading "//" as a host name
        try:
            body_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
            try:
                body = b"".join(body_iter)
            finally:
                close = getattr(body_iter, "close", None)
                if close is not None:
                    close()
        except ConnectionError as exc:
            raise DeliveryFailed(f"the mock dropped the connection: {exc}") from None
        return Answer(int(status.split(" ", 1)[0]), response_headers.get("Content-Type"), body)

    def close(self) -> None:
        """Nothing to release."""


class HttpTransport:
    """Sends to a mock listening at ``base_url`` (``http://127.0.0.1:5555``)."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(timeout=timeout)

    def send(self, method: str, target: str, headers: Mapping[str, str], content: bytes) -> Answer:
        try:
            response = self._client.request(
                method, self.base_url + target, headers=dict(headers), content=content or None
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
        return Answer(response.status_code, response.headers.get("content-type"), response.content)

    def close(self) -> None:
        self._client.close()
