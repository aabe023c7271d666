"""The WSGI layer of the mock: which application serves a path, and dropped connections.

Requests to the two surfaces (``/api/...``, ``/v2/...``) go to the
:class:`~mock_cordial.pipeline.Pipeline`; everything else to Flask. The
destination builds URLs by concatenation, so an endpoint setting that ends in
``/`` sends ``//api/segment/...``; the path is folded before routing (the
journal keeps the path as sent). A fault rule that drops the connection
leaves a marker header that this layer turns into a closed socket under a
real server, or a :class:`ConnectionDropped` error in process.
"""

from __future__ import annotations

import errno
import re
import socket
import struct
from collections.abc import Callable, Iterable
from typing import Any

from mock_cordial.pipeline import DROP_HEADER, ORIGINAL_PATH_KEY

__all__ = ["ConnectionDropped", "MockWsgi"]

_REPEATED_SLASHES = re.compile(r"/{2,}")
#: Paths under these prefixes belong to Cordial's two surfaces.
SURFACE_PREFIXES = ("/api/", "/v2/")
DROPPED_STATUS = "444 Connection Dropped"

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class ConnectionDropped(ConnectionError):
    """Raised to an in-process client when a fault rule drops the connection."""


class MockWsgi:
    """Becomes ``app.wsgi_app``: surfaces to the pipeline, the rest to Flask's own ``wsgi_app``."""

    def __init__(self, flask_app: WsgiApp, surfaces: WsgiApp) -> None:
        self.flask_app = flask_app
        self.surfaces = surfaces

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if "//" in path:
            environ[ORIGINAL_PATH_KEY] = path
            environ["PATH_INFO"] = path = _REPEATED_SLASHES.sub("/", path)
        app = self.surfaces if path.startswith(SURFACE_PREFIXES) else self.flask_app
        dropped = False

        def intercept(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            nonlocal dropped
            if any(name == DROP_HEADER for name, _ in headers):
                dropped = True
                return lambda data: None
            return start_response(status, headers, exc_info)

        body = app(environ, intercept)
        if not dropped:
            return body
        if hasattr(body, "close"):
            body.close()
        sock = environ.get("gunicorn.socket")
        if sock is None:
            raise ConnectionDropped("the mock dropped the connection (fault rule)")
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not FIN
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client is already gone: nothing left to drop
        # The access log shows 444 (nginx's "closed without a response"); the reset
        # error then makes the server close the connection without writing anything.
        start_response(DROPPED_STATUS, [])
        return _ResetOnIteration()


class _ResetOnIteration:
    def __iter__(self) -> _ResetOnIteration:
        return self

    def __next__(self) -> bytes:
        raise ConnectionResetError(errno.ECONNRESET, "connection dropped by a fault rule")
