"""A gunicorn worker that serves each request on its event loop's own thread.

gunicorn's ``gthread`` worker hands every request from its event loop to a
thread pool and the result back through a pipe: two thread switches, a
pipe write and read and a future per request. With one thread per worker
that buys nothing (requests are served one at a time either way), so with
``threads=1`` the mock uses this worker, which runs the request where the
event loop found it. It keeps everything else of ``gthread``: keep-alive
connections wait in the poller, connections that have not sent anything yet
wait there too instead of holding the worker.

As with ``gthread`` and one thread, a client that stops half-way through a
request holds the worker until it goes on or its connection closes.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers import gthread

__all__ = ["InlineWorker", "INLINE_SUPPORTED"]

#: Whether this gunicorn's ``gthread`` has what the inline worker builds on (it has since 23).
INLINE_SUPPORTED = hasattr(gthread, "_DEFER") and hasattr(gthread.TConn, "wait_for_data")


class _Done:
    """What ``finish_request`` expects of a finished future."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value

    @staticmethod
    def cancelled() -> bool:
        return False


class InlineWorker(gthread.ThreadWorker):
    """``gthread`` without the thread pool: one request at a time, on the event loop."""

    def enqueue_req(self, conn: Any) -> None:
        self.finish_request(conn, _Done(self.handle(conn)))

    def handle(self, conn: Any) -> Any:
        # A new connection that has sent nothing yet waits in the poller, not in this thread.
        if not conn.initialized and not conn.data_ready and not conn.wait_for_data(0):
            return gthread._DEFER
        return super().handle(conn)
