"""pytest fixtures for testing against the Cordial mock (loaded through the ``pytest11`` entry point).

``cordial_mock``
    The mock in process: ``app`` (Flask), ``client`` (an ``httpx.Client`` over
    ``WSGITransport``, no socket), ``control`` (state, journal, faults) and
    shortcuts ``ingest()`` and ``rest`` for the two surfaces.
``cordial_server``
    The mock served by ``cordial-harness serve`` on a free loopback port:
    ``base_url``, ``api_key``, ``client``; stopped after the test.
    ``running_server(...)`` starts one with other options.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from mock_cordial.app import EXTENSION, create_app
from mock_cordial.control import MockControl

__all__ = [
    "CordialMock",
    "CordialServer",
    "cordial_mock",
    "cordial_server",
    "free_port",
    "running_server",
    "stop_server",
]

API_KEY = "test-api-key"
IN_PROCESS_URL = "http://cordial-mock.test"


@dataclass
class CordialMock:
    """An in-process mock and clients for it."""

    app: Flask
    api_key: str = API_KEY
    client: httpx.Client = field(init=False)
    rest: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(transport=httpx.WSGITransport(app=self.app), base_url=IN_PROCESS_URL)
        self.rest = httpx.Client(
            transport=httpx.WSGITransport(app=self.app),
            base_url=f"{IN_PROCESS_URL}/v2",
            auth=(self.api_key, ""),
        )

    @property
    def control(self) -> MockControl:
        return self.app.extensions[EXTENSION]

    def ingest(self, action: str, body: Any, api_key: str | None = None, **kwargs: Any) -> httpx.Response:
        """``POST /api/segment/<action>`` with the API key, as the destination sends it."""
        headers = {"x-api-key": api_key or self.api_key, **kwargs.pop("headers", {})}
        return self.client.post(f"/api/segment/{action}", json=body, headers=headers, **kwargs)

    def state(self) -> dict[str, Any]:
        return self.control.snapshot()

    def close(self) -> None:
        self.rest.close()
        self.client.close()


@pytest.fixture
def cordial_mock() -> Iterator[CordialMock]:
    """A fresh in-process mock (strict, in-memory state) for one test."""
    mock = CordialMock(create_app())
    try:
        yield mock
    finally:
        mock.close()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CordialServer:
    """A mock served over loopback by ``cordial-harness serve``."""

    base_url: str
    process: subprocess.Popen
    api_key: str
    startup_seconds: float
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=10)

    def ingest(self, action: str, body: Any, **kwargs: Any) -> httpx.Response:
        headers = {"x-api-key": self.api_key, **kwargs.pop("headers", {})}
        return self.client.post(f"/api/segment/{action}", json=body, headers=headers, **kwargs)

    def state(self) -> dict[str, Any]:
        return self.client.get("/__admin/state").raise_for_status().json()

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        return self.client.get("/__admin/requests", params=filters).raise_for_status().json()["requests"]


def _wait_until_up(base_url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cordial-harness serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/__admin/health", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.02)
    raise RuntimeError(f"cordial-harness serve did not answer within {timeout} s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a ``serve`` process the way Ctrl-C does, killing it if it does not stop in 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(
    *,
    db_path: str | Path | None = None,
    api_keys: Sequence[str] = (),
    strict: bool = True,
    workers: int = 1,
    quiet: bool = True,
    extra_args: Sequence[str] = (),
    log_path: str | Path | None = None,
) -> Iterator[CordialServer]:
    """``cordial-harness serve`` on a free loopback port for the duration of the block."""
    port = free_port()
    command = [sys.executable, "-m", "cordial_harness", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    if db_path is not None:
        command += ["--db", str(db_path)]
    for key in api_keys:
        command += ["--api-key", key]
    if not strict:
        command.append("--no-strict")
    if quiet:
        command.append("--quiet")
    command += list(extra_args)
    log = open(log_path, "wb") if log_path is not None else subprocess.DEVNULL  # noqa: SIM115
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process, timeout=15)
        server = CordialServer(
            base_url, process, api_keys[0] if api_keys else API_KEY, time.monotonic() - started
        )
        try:
            yield server
        finally:
            server.client.close()
    finally:
        stop_server(process)
        if log is not subprocess.DEVNULL:
            log.close()


@pytest.fixture
def cordial_server() -> Iterator[CordialServer]:
    """The mock served by a real server on a free loopback port, stopped after the test."""
    with running_server() as server:
        yield server
