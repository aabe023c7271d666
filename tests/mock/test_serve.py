"""``cordial-harness serve`` as a user runs it: a real process on a free loopback port."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from click.testing import CliRunner

from cordial_harness.commands.serve import serve
from mock_cordial.pytest_plugin import free_port, running_server


def start_serve(port: int, out) -> tuple[subprocess.Popen, float]:
    """``cordial-harness serve`` as a user starts it; returns it and the seconds until it answered."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "cordial_harness", "serve", "--port", str(port), "--api-key", "serve-key"],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/__admin/health", timeout=0.5).status_code == 200:
                return process, time.monotonic() - started
        except httpx.TransportError:
            if time.monotonic() - started > 15 or process.poll() is not None:
                process.kill()
                raise AssertionError("the server never came up") from None
            time.sleep(0.02)


def stop_with_ctrl_c(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=10)


def test_serve_starts_fast_logs_each_request_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process, startup = start_serve(port, out)
        if startup >= 2.0:  # a cold first start on a busy machine: judge a second, warm one
            assert stop_with_ctrl_c(process) == 0
            process, startup = start_serve(port, out)
        try:
            assert startup < 2.0, f"took {startup:.2f} s to start"
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                assert client.get("/api/checkAuth", headers={"x-api-key": "serve-key"}).status_code == 200
                assert client.get("/api/checkAuth", headers={"x-api-key": "other"}).status_code == 401
                answer = client.post(
                    "/api/segment/upsertContact", json={"segmentId": "u1"}, headers={"x-api-key": "serve-key"}
                )
                assert answer.status_code == 202
                assert client.get("/v2/contacts", auth=("serve-key", "")).json()[0]["cID"]
        finally:
            assert stop_with_ctrl_c(process) == 0
    text = log.read_text()
    request_lines = [line for line in text.splitlines() if re.search(r'"(GET|POST) /(api|v2)/', line)]
    assert len(request_lines) == 4
    assert re.search(r'"GET /api/checkAuth HTTP/1.1" 401', text)
    assert "Shutting down" in text
    assert "Traceback" not in text


def test_serve_binds_loopback_by_default():
    params = {p.name: p.default for p in serve.params}
    assert params["host"] == "127.0.0.1"
    assert params["workers"] == 1


def test_serve_refuses_bad_options():
    runner = CliRunner()
    assert runner.invoke(serve, ["--workers", "0"]).exit_code == 2
    assert runner.invoke(serve, ["--port", "70000"]).exit_code == 2
    result = runner.invoke(serve, ["--api-key", " "])
    assert result.exit_code == 2
    assert "API key cannot be empty" in result.output


def test_a_dropped_connection_reaches_a_real_client(tmp_path):
    log = tmp_path / "serve.log"
    with running_server(strict=False, quiet=False, log_path=log) as server:
        server.client.post("/__admin/faults", json={"path": "/api/checkAuth", "drop": True, "times": 1})
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{server.base_url}/api/checkAuth", headers={"x-api-key": "k"}, timeout=5)
        # the server carries on
        assert httpx.get(f"{server.base_url}/api/checkAuth", headers={"x-api-key": "k"}).status_code == 200
        (dropped, served) = server.requests(path="/api/checkAuth")
        assert dropped["response"]["dropped"] is True
        assert served["response"]["status"] == 200
    text = log.read_text()
    assert '"GET /api/checkAuth HTTP/1.1" 444' in text
    assert "Traceback" not in text


def test_a_delayed_request_does_not_hold_up_others():
    with running_server() as server:
        server.client.post("/__admin/faults", json={"path": "/api/checkAuth", "delay": 1.5, "times": 1})
        with httpx.Client(base_url=server.base_url, timeout=10) as slow_client:
            slow = threading.Thread(
                target=slow_client.get, args=("/api/checkAuth",), kwargs={"headers": {"x-api-key": "k"}}
            )
            slow.start()
            time.sleep(0.2)
            began = time.monotonic()
            assert server.ingest("upsertContact", {"segmentId": "u"}).status_code == 202
            assert time.monotonic() - began < 1.0
            slow.join()


def test_chunked_bodies_are_read_and_limited(tmp_path):
    with running_server(extra_args=["--max-body-bytes", "1000"]) as server:
        headers = {"x-api-key": "k", "content-type": "application/json"}
        small = server.client.post(
            "/api/segment/upsertContact", content=iter([b'{"segmentId":', b' "chunked"}']), headers=headers
        )
        assert small.status_code == 202
        big = server.client.post(
            "/api/segment/upsertContact",
            content=iter([b'{"segmentId": "', b"x" * 2000, b'"}']),
            headers=headers,
        )
        assert big.status_code == 413
        assert [c["segmentIds"] for c in server.state()["contacts"]] == [["chunked"]]


def test_one_thread_per_worker_serves_on_the_event_loop_and_shares_faults(tmp_path):
    """``--threads 1`` (the throughput setting) runs gunicorn's gthread loop without its thread pool;
    keep-alive connections, fault rules and the journal work across both workers."""
    log = tmp_path / "serve.log"
    with running_server(workers=2, extra_args=["--threads", "1"], quiet=False, log_path=log) as server:
        server.client.post("/__admin/faults", json={"path": "/api/checkAuth", "status": 503, "times": 6})
        statuses = []
        with httpx.Client(base_url=server.base_url, timeout=10) as keep_alive:
            for n in range(8):  # one kept-alive connection, and new ones that either worker may take
                client = keep_alive if n % 2 else httpx.Client(base_url=server.base_url, timeout=10)
                statuses.append(client.get("/api/checkAuth", headers={"x-api-key": "k"}).status_code)
                if client is not keep_alive:
                    client.close()
        assert statuses == [503] * 6 + [200] * 2
        assert len(server.requests(path="/api/checkAuth")) == 8
    text = log.read_text()
    assert "Using worker: mock_cordial.worker.InlineWorker" in text
    assert "Traceback" not in text
