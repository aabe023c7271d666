"""Serving the mock with gunicorn: one state for every worker, one log line per request.

With several workers and no database file, the state goes to a temporary
file (an in-memory database cannot be shared between processes) that is
removed when the server stops.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from contracts import load_contract
from mock_cordial.app import DEFAULT_MAX_BODY_BYTES, create_app
from mock_cordial.worker import INLINE_SUPPORTED

__all__ = ["ServerOptions", "MockServer", "serve"]

_STREAM_HANDLERS = (logging.StreamHandler, logging.FileHandler)


class AccessLog(Logger):
    """One short line per request: ``127.0.0.1 "POST /api/segment/upsertContact HTTP/1.1" 202 21 1ms``.

    gunicorn's own access log works out some twenty fields (every header
    included) per request; this one only the few it prints, and writes the
    line straight to the log's streams (a ``logging`` record costs more than
    the line itself).
    """

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = '{} "{} {} {}" {} {} {:d}ms'.format(
            environ.get("REMOTE_ADDR", "-"),
            environ["REQUEST_METHOD"],
            environ.get("RAW_URI") or environ.get("PATH_INFO", ""),
            environ.get("SERVER_PROTOCOL", "-"),
            status,
            getattr(resp, "sent", None) or 0,
            int(request_time.total_seconds() * 1000),
        )
        handlers = self.access_log.handlers
        if not all(type(handler) in _STREAM_HANDLERS for handler in handlers):
            self.access_log.info("%s", line)
            return
        for handler in handlers:
            handler.acquire()
            try:
                handler.stream.write(line + "\n")
                handler.flush()
            except (OSError, ValueError):
                pass  # the log's stream is gone (closed terminal): the request is served all the same
            finally:
                handler.release()


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 5555
    db_path: str | None = None
    api_keys: list[str] | None = None
    strict: bool = True
    workers: int = 1
    threads: int = 8
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    access_log: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _worker_class(threads: int) -> str:
    """``gthread``, or with one thread the same worker without its thread pool (see ``worker.py``)."""
    if threads == 1 and INLINE_SUPPORTED:
        return "mock_cordial.worker.InlineWorker"
    return "gthread"


class MockServer(BaseApplication):
    """A gunicorn application that builds the mock in each worker (after the fork)."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        opts = self.options
        settings = {
            "bind": [f"[{opts.host}]:{opts.port}" if ":" in opts.host else f"{opts.host}:{opts.port}"],
            "workers": opts.workers,
            "worker_class": _worker_class(opts.threads),
            "threads": opts.threads,
            "keepalive": 30,
            "graceful_timeout": 5,
            "timeout": 120,
            "accesslog": "-" if opts.access_log else None,
            "logger_class": AccessLog,
            # the heartbeat file is touched on every loop: on tmpfs that costs far less
            "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "cordial-mock",
            "control_socket_disable": True,
            **opts.extra,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        opts = self.options
        return create_app(
            db_path=opts.db_path,
            api_keys=opts.api_keys,
            strict=opts.strict,
            max_body_bytes=opts.max_body_bytes,
        )


def serve(options: ServerOptions, api_keys: Iterable[str] | None = None) -> None:
    """Run the server until it is stopped (Ctrl-C / SIGINT or SIGTERM)."""
    if options.workers < 1:
        raise ValueError("workers must be at least 1")
    if api_keys is not None:
        options.api_keys = list(api_keys)
    load_contract("ingest")  # compiled once here, inherited by every worker
    load_contract("rest-v2")
    scratch = None
    if options.workers > 1 and options.db_path is None:
        scratch = tempfile.mkdtemp(prefix="cordial-mock-")
        options.db_path = os.path.join(scratch, "state.sqlite")
    try:
        MockServer(options).run()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
