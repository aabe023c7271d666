"""How fast ``cordial-harness serve`` answers a realistic ingest load over loopback.

Starts the mock (2 workers of 1 thread each, strict validation on, state in
a temporary SQLite file, access log on) on a free 127.0.0.1 port, drives it
with a mix of ingest calls (activities, contact upserts, cart adds and
removes, orders, list adds, auth checks) from 32 keep-alive connections, and
prints requests/s and p50/p99 latency. The load generator is ``wrk`` when installed (apt install
wrk), otherwise a multi-process asyncio raw-socket client in this script.

    .venv/bin/python benchmarks/bench_mock.py [--seconds 10] [--connections 32] [--workers 2]
        [--threads 1] [--generator auto|wrk|python] [--baseline] [--repeat 3]

Target on a 2-core machine: 4,000 requests/s or more with p99 under 20 ms.
One thread per worker is the throughput setting: the worker then serves each
request on gunicorn's event loop, without a thread pool to hand it to and back
(``mock_cordial.worker``); with more threads the threads of a process hand the
GIL and the database lock back and forth (``serve`` defaults to 8 so that an
injected delay does not hold up other requests). Requests are parsed by
gunicorn's C parser (``gunicorn-h1c``) when it is installed, as it is with the
project's dependencies.
``--baseline`` first measures a bare Flask app under the same gunicorn
settings and load, which shows what the machine can do at that moment (the
figures mean little when other processes compete for the cores: the load
average is printed first, and should be under 1). ``--repeat N`` measures the
mock N times and judges the median run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from mock_cordial.pytest_plugin import stop_server

API_KEY = "bench-key"
TARGET_RPS = 4000
TARGET_P99_MS = 20.0
USERS = 1000

# (weight, action) of the traffic mix
MIX = [
    (40, "createContactactivity"),
    (15, "upsertContact"),
    (15, "addProductToCart"),
    (5, "removeProductFromCart"),
    (10, "upsertOrder"),
    (10, "addContactToList"),
    (5, "checkAuth"),
]


def _identity(rng: random.Random) -> dict:
    user = rng.randrange(USERS)
    return {"segmentIdKey": "segment_id", "segmentId": f"user-{user}", "anonymousId": f"anon-{user}"}


def _body(action: str, rng: random.Random) -> dict | None:
    """One body as production's destination sends it for ``action``."""
    ident = _identity(rng)
    product = rng.randrange(50)
    if action == "createContactactivity":
        return {
            **ident,
            "action": rng.choice(["Product Viewed", "Signed Up", "pageView"]),
            "time": "2026-11-02T09:17:12.500Z",
            "properties": {"path": "/", "plan": "gold", "price": 19.5},
            "context": {"ip": "203.0.113.24", "locale": "en-US"},
        }
    if action == "upsertContact":
        return {
            **ident,
            "userIdentities": {"channels.email.address": f"{ident['segmentId']}@example.com"},
            "attributes": {"first_name": "Ada", "plan": "gold"},
        }
    if action == "addProductToCart":
        return {
            **ident,
            "productID": f"p-{product}",
            "sku": f"SKU-{product}",
            "qty": 1 + product % 3,
            "category": "Tents",
            "name": "Ridgeline Tent",
            "itemPrice": 249.0,
            "url": "https://shop.example.com/p",
            "properties": {"brand": "Acme"},
        }
    if action == "removeProductFromCart":
        return {**ident, "productID": f"p-{product}", "qty": 1}
    if action == "upsertOrder":
        return {
            **ident,
            "orderID": f"order-{rng.randrange(5000)}",
            "purchaseDate": "2026-11-02T09:17:12.500Z",
            "status": "Order Completed",
            "totalAmount": 249.0,
            "properties": {"revenue": 249.0},
            "items": [
                {"productID": f"p-{product}", "sku": "SKU", "name": "Tent", "qty": 1, "properties": {}}
            ],
            "discountApplication": None,
        }
    if action == "addContactToList":
        return {**ident, "groupId": f"group-{rng.randrange(20)}", "listName": ""}
    return None


def build_requests(count: int, seed: int = 7) -> list[bytes]:
    """Raw HTTP/1.1 keep-alive requests in the traffic mix."""
    rng = random.Random(seed)
    actions = [action for weight, action in MIX for _ in range(weight)]
    out = []
    for _ in range(count):
        action = rng.choice(actions)
        body = _body(action, rng)
        if body is None:
            head = f"GET /api/checkAuth HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {API_KEY}\r\n\r\n"
            out.append(head.encode())
            continue
        payload = json.dumps(body, separators=(",", ":")).encode()
        head = (
            f"POST /api/segment/{action} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {API_KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        out.append(head.encode() + payload)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def baseline_app():
    """A bare Flask app answering every ingest call like the mock does, without doing anything."""
    from flask import Flask, Response, request

    app = Flask("baseline")

    @app.route("/api/checkAuth")
    def check_auth() -> Response:
        return Response(b"{}", content_type="application/json")

    @app.post("/api/segment/<action>")
    def action(action: str) -> Response:
        request.get_data()
        return Response(b'{"success":"success"}', status=202, content_type="application/json")

    @app.route("/__admin/health")
    def health() -> Response:
        return Response(b'{"status":"ok"}', content_type="application/json")

    return app


def start_server(
    port: int, workers: int, threads: int, baseline: bool = False
) -> tuple[subprocess.Popen, float]:
    """The mock as a user runs it (or the bare baseline); returns the process and its start-up time."""
    exe = Path(sys.executable).with_name("cordial-harness")
    command = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    if baseline:
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
            "--threads", str(threads), "--access-logfile", "-", "--chdir", str(Path(__file__).parent),
            "bench_mock:baseline_app()",
        ]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = started + 15
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__admin/health", timeout=1) as answer:
                if answer.status == 200:
                    return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    stop_server(proc)
    raise SystemExit("the mock did not start within 15 s")


def cpu_seconds(root_pid: int) -> float | None:
    """CPU time used so far by a process and its descendants (Linux /proc; None elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, pending, seen = 0.0, [root_pid], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            if pid == root_pid:
                return None
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pending.extend(int(child) for child in children)
    return total


# -- wrk ----------------------------------------------------------------------

_LUA = """
local requests = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter %% #requests) + 1]
end
"""


def run_wrk(port: int, seconds: int, connections: int, requests: list[bytes]) -> dict:
    def lua_string(raw: bytes) -> str:
        return '"' + "".join(f"\\{b:03d}" for b in raw) + '"'

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % ",".join(lua_string(r) for r in requests[:2000]))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def millis(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "generator": "wrk",
        "requests": total,
        "rps": rps,
        "p50_ms": millis("50%"),
        "p99_ms": millis("99%"),
        "errors": (int(errors.group(1)) if errors else 0),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


# -- Python fallback: processes x asyncio keep-alive connections ------------------


async def _connection(
    port: int, requests: list[bytes], offset: int, deadline: float, out: list, bad: list
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    index = offset
    try:
        while time.perf_counter() < deadline:
            raw = requests[index % len(requests)]
            index += 1
            began = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if length:
                await reader.readexactly(int(length.group(1)))
            out.append(time.perf_counter() - began)
            if status >= 300:
                bad.append(status)
    finally:
        writer.close()


def _worker(port: int, connections: int, seconds: float, seed: int, queue: multiprocessing.Queue) -> None:
    requests = build_requests(2000, seed)
    latencies: list[float] = []
    bad: list[int] = []

    async def main() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_connection(port, requests, i * 97, deadline, latencies, bad) for i in range(connections))
        )

    asyncio.run(main())
    queue.put((latencies, len(bad)))


def run_python(port: int, seconds: int, connections: int) -> dict:
    processes = 2
    queue: multiprocessing.Queue = multiprocessing.Queue()
    per_process = [
        connections // processes + (1 if i < connections % processes else 0) for i in range(processes)
    ]
    workers = [
        multiprocessing.Process(target=_worker, args=(port, n, seconds, 11 + i, queue))
        for i, n in enumerate(per_process)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    latencies = sorted(lat for lats, _ in results for lat in lats)
    count = len(latencies)
    return {
        "generator": "python (2 processes, asyncio keep-alive)",
        "requests": count,
        "rps": count / min(elapsed, seconds + 0.5),
        "p50_ms": latencies[count // 2] * 1000 if count else float("nan"),
        "p99_ms": latencies[int(count * 0.99)] * 1000 if count else float("nan"),
        "errors": sum(errors for _, errors in results),
        "socket_errors": "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--baseline", action="store_true", help="measure a bare Flask app first")
    parser.add_argument("--repeat", type=int, default=1, help="measure the mock this many times")
    args = parser.parse_args()
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    use_wrk = args.generator == "wrk" or (args.generator == "auto" and shutil.which("wrk"))
    if args.generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt install wrk); use --generator python")
    requests = build_requests(2000)

    def measure(baseline: bool) -> tuple[dict, float]:
        port = free_port()
        proc, startup = start_server(port, args.workers, args.threads, baseline)

        def load(seconds: int) -> dict:
            if use_wrk:
                return run_wrk(port, seconds, args.connections, requests)
            return run_python(port, seconds, args.connections)

        try:
            load(2)  # warm up: contacts, lists and carts exist, as in a steady state
            before = cpu_seconds(proc.pid)
            result = load(args.seconds)
            after = cpu_seconds(proc.pid)
            if before is not None and after is not None and result["requests"]:
                result["server_cpu_us"] = (after - before) / result["requests"] * 1e6
            return result, startup
        finally:
            stop_server(proc)

    def cpu_note(result: dict) -> str:
        cost = result.get("server_cpu_us")
        return f", server CPU {cost:.0f} us/request" if cost is not None else ""

    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    quiet = "" if load_average < 1 else " (busy: figures will be low)"
    print(f"load average         : {load_average:.2f}{quiet}")
    if args.baseline:
        bare, _ = measure(baseline=True)
        print(f"bare Flask baseline  : {bare['rps']:.0f} requests/s, p50 {bare['p50_ms']:.2f} ms, "
              f"p99 {bare['p99_ms']:.2f} ms{cpu_note(bare)}")  # fmt: skip
    state = "SQLite file state" if args.workers > 1 else "in-memory state"
    print(
        f"cordial-harness serve: {args.workers} workers x {args.threads} threads, strict validation,"
        f" {state}, access log on"
    )
    runs = []
    for run in range(1, args.repeat + 1):
        result, startup = measure(baseline=False)
        runs.append(result)
        label = f"run {run}" if args.repeat > 1 else "result"
        socket_errors = f", socket errors: {result['socket_errors']}" if result["socket_errors"] else ""
        print(
            f"{label:<21}: {result['rps']:.0f} requests/s{cpu_note(result)}, p50 {result['p50_ms']:.2f} ms,"
            f" p99 {result['p99_ms']:.2f} ms, {result['requests']} requests ({result['errors']} non-2xx)"
            f"{socket_errors}, start-up {startup:.2f} s"
        )
    result = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    print(f"load generator       : {result['generator']}, {args.connections} connections, {args.seconds} s")
    ok = result["rps"] >= TARGET_RPS and result["p99_ms"] < TARGET_P99_MS and result["errors"] == 0
    median = f" (the median of {len(runs)} runs)" if len(runs) > 1 else ""
    print(f"throughput           : {result['rps']:.0f} requests/s{cpu_note(result)}{median}")
    print(f"latency              : p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms{median}")
    verdict = "met" if ok else "NOT met"
    print(f"target               : >= {TARGET_RPS} req/s, p99 < {TARGET_P99_MS:.0f} ms -> {verdict}")


if __name__ == "__main__":
    main()
