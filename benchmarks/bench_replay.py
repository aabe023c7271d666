"""End-to-end replay throughput and memory: 100,000 events through `replay` into `serve`.

Generates a realistic mix of events (pages, identifies, cart and order tracks,
groups, aliases, a few events production rejects and a few malformed lines),
starts `cordial-harness serve` with 2 workers on a temporary database, runs
`cordial-harness replay` with 16 requests in flight, and prints events/s and
the replay process's peak RSS when 10%, 50% and 100% of the file is done
(memory must stay flat: it must not grow with the file).

    .venv/bin/python benchmarks/bench_replay.py [--events 100000] [--concurrency 16] [--workers 2]

With ``--endpoint URL`` no server is started and replay delivers to URL
instead (for example a trivial HTTP server, to measure replay's own ceiling).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).with_name("cordial-harness")
TARGET_EVENTS_PER_SECOND = 2000
PRODUCTS = [
    {"product_id": f"sku-{n}", "sku": f"SKU-{n:04d}", "name": f"Tent {n}", "category": "Gear", "price": n + 5}
    for n in range(200)
]


def _event(rng: random.Random, n: int) -> dict:
    user = f"user-{rng.randrange(5000)}"
    base = {
        "messageId": f"bench-{n}",
        "userId": user,
        "anonymousId": f"anon-{user}",
        "timestamp": f"2026-11-02T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "context": {"ip": "203.0.113.9", "locale": "en-US"},
    }
    roll = rng.random()
    product = rng.choice(PRODUCTS)
    if roll < 0.30:
        return {**base, "type": "page", "name": "Product", "properties": {"path": f"/p/{product['sku']}"}}
    if roll < 0.45:
        traits = {"email": f"{user}@example.com", "first_name": "Ada", "plan": rng.choice(["free", "gold"])}
        return {**base, "type": "identify", "traits": traits}
    if roll < 0.65:
        return {**base, "type": "track", "event": "Product Viewed", "properties": dict(product)}
    if roll < 0.78:
        return {**base, "type": "track", "event": "Product Added", "properties": {**product, "quantity": 1}}
    if roll < 0.83:
        return {**base, "type": "track", "event": "Product Removed", "properties": {**product, "quantity": 1}}
    if roll < 0.90:
        order = {"order_id": f"order-{n}", "total": product["price"], "products": [product]}
        return {**base, "type": "track", "event": "Order Completed", "properties": order}
    if roll < 0.95:
        return {**base, "type": "group", "groupId": f"g-{rng.randrange(20)}", "traits": {"name": "Team"}}
    if roll < 0.98:
        return {**base, "type": "alias", "previousId": f"anon-{user}"}
    # production rejects these: a cart add without a product id
    return {**base, "type": "track", "event": "Product Added", "properties": {"quantity": 1}}


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            if n % 5000 == 4999:
                out.write('{"type": "track", "event": \n')  # a malformed line now and then
                continue
            out.write(json.dumps(_event(rng, n), separators=(",", ":")) + "\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/__admin/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the mock did not start")


def _rss_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in KiB, from /proc."""
    current = peak = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    current = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1])
    except OSError:
        pass
    return current, peak


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (the server's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if int(entry.name) == pid or ppid == pid:
            total += (utime + stime) / tick
    return total


def _done_fraction(checkpoint: Path, total: int) -> float:
    try:
        data = json.loads(checkpoint.read_text())
    except (OSError, ValueError):
        return 0.0
    return data["watermark"]["offset"] / total if total else 1.0


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--endpoint", help="deliver here instead of starting `serve`")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-replay-") as scratch:
        work = Path(scratch)
        events = work / "events.jsonl"
        started = time.perf_counter()
        generate(events, args.events)
        size = events.stat().st_size
        took = time.perf_counter() - started
        print(f"generated {args.events} events ({size / 1e6:.1f} MB) in {took:.1f} s")

        server = None
        if args.endpoint:
            base = args.endpoint
        else:
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            serve_cmd = [str(BIN), "serve", "--port", str(port), "--workers", str(args.workers)]
            serve_cmd += ["--db", str(work / "state.sqlite"), "--quiet"]
            server = subprocess.Popen(serve_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if server is not None:
                _wait_healthy(base, time.monotonic() + 30)
            checkpoint = work / "events.checkpoint.json"
            replay_cmd = [str(BIN), "replay", str(events), "--endpoint", base, "--api-key", "bench-key"]
            replay_cmd += ["--segment-id-key", "segment_id", "--concurrency", str(args.concurrency)]
            replay_cmd += ["--checkpoint", str(checkpoint), "--dead-letter", str(work / "dead.jsonl")]
            replay_cmd += ["--report", str(work / "report.json"), "--json"]
            started = time.perf_counter()
            replay = subprocess.Popen(replay_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            marks: dict[int, tuple[int, int]] = {}
            while replay.poll() is None:
                fraction = _done_fraction(checkpoint, size)
                for mark in (10, 50):
                    if mark not in marks and fraction * 100 >= mark:
                        marks[mark] = _rss_kib(replay.pid)
                time.sleep(0.05)
            wall = time.perf_counter() - started
            stdout, stderr = replay.communicate()
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            marks[100] = (0, usage.ru_maxrss)
            replay_cpu = usage.ru_utime + usage.ru_stime
            serve_cpu = _cpu_seconds(server.pid) if server is not None else 0.0
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=15)

        if replay.returncode not in (0, 1):
            raise SystemExit(f"replay exited {replay.returncode}: {stderr.decode()[-2000:]}")
        report = json.loads(stdout)
        requests = report["requests"]
        print(
            f"replay: {report['lines']} lines, {report['events']} events, {requests['sent']} requests "
            f"({requests['ok']} 2xx, {requests['retried']} retried, {requests['rejected']} rejected, "
            f"{requests['failed']} failed), {report['malformed']} malformed, "
            f"{report['deadLettered']} dead letters"
        )
        rate = report["thisRun"]["eventsPerSecond"]
        verdict = "met" if rate >= TARGET_EVENTS_PER_SECOND else "NOT met"
        print(
            f"throughput: {rate:.0f} events/s (target {TARGET_EVENTS_PER_SECOND}: {verdict}; "
            f"{requests['sent'] / wall:.0f} requests/s; {wall:.1f} s wall clock including start-up)"
        )
        per_request = serve_cpu / max(requests["sent"], 1) * 1e6
        serve_share = f", serve {per_request:.0f} us per request" if server else ""
        print(
            f"CPU: replay {replay_cpu / max(report['lines'], 1) * 1e6:.0f} us per event{serve_share} "
            f"(machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
        )
        for mark in (10, 50, 100):
            current, peak = marks.get(mark, (0, 0))
            now = f", current {current / 1024:.1f} MiB" if current else ""
            print(f"replay peak RSS at {mark:>3}% of the file: {peak / 1024:.1f} MiB{now}")
        if os.environ.get("BENCH_SHOW_REPORT"):
            print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
