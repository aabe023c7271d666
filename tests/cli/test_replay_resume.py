"""Interrupted replays resume with neither a duplicate nor a gap.

The mock injects 429s, 503s and dropped connections while `replay` is killed
halfway (SIGKILL, no chance to clean up) or interrupted (Ctrl-C); the resumed
run must leave every accepted event applied exactly once, no event missing,
and every rejected event in the dead-letter file exactly once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cordial_harness.replay.keys import event_base, idempotency_key
from mock_cordial.pytest_plugin import CordialServer, running_server
from reference import Destination, Settings
from reference.errors import CordialHarnessError

API_KEY = "resume-test-key"
LINES = 300


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> CordialServer:
    db = tmp_path_factory.mktemp("mock") / "state.sqlite"
    with running_server(db_path=db, workers=2) as running:
        yield running


@pytest.fixture
def mock(server: CordialServer) -> CordialServer:
    for method, path in (
        ("POST", "/__admin/reset"),
        ("DELETE", "/__admin/faults"),
        ("DELETE", "/__admin/requests"),
    ):
        server.client.request(method, path).raise_for_status()
    return server


def inject_faults(server: CordialServer) -> None:
    """Every ingest request has a chance of a 429, a 503 or a dropped connection."""
    for rule in (
        {"status": 429, "headers": {"Retry-After": "0.05"}, "probability": 0.08},
        {"status": 503, "body": {"error": "unavailable"}, "probability": 0.08},
        {"drop": True, "probability": 0.05},
    ):
        server.client.post("/__admin/faults", json={"path": "/api/segment/*", **rule}).raise_for_status()


def event_lines(count: int) -> list[str]:
    """A mix: identifies, pages, cart adds (some rejected), events without messageId, bad lines."""
    lines = []
    for n in range(1, count + 1):
        user = f"u{n % 37}"
        if n % 50 == 0:
            lines.append('{"type": "page", "userId": ')  # malformed
        elif n % 10 == 3:  # no messageId: keyed by line and content
            lines.append(json.dumps({"type": "identify", "userId": user, "traits": {"plan": "gold"}}))
        elif n % 7 == 0:
            properties = {"quantity": 1} if n % 3 == 0 else {"product_id": f"p{n}", "sku": "S", "quantity": 1}
            properties |= {"category": "Gear", "name": "Tent"} if "product_id" in properties else {}
            event = {"type": "track", "event": "Product Added", "userId": user, "messageId": f"cart-{n}"}
            lines.append(json.dumps({**event, "properties": properties}))
        elif n % 2:
            lines.append(json.dumps({"type": "identify", "userId": user, "messageId": f"id-{n}"}))
        else:
            lines.append(json.dumps({"type": "page", "userId": user, "messageId": f"pg-{n}"}))
    return lines


def expected_outcomes(lines: list[str]) -> tuple[Counter, set, set]:
    """What production does with each line: keys it delivers, (line, action) it rejects, bad lines."""
    destination = Destination(Settings(api_key=API_KEY))
    delivered: Counter = Counter()
    rejected, malformed = set(), set()
    for number, text in enumerate(lines, start=1):
        try:
            event = json.loads(text)
        except ValueError:
            malformed.add(number)
            continue
        base = event_base(event, number, (text + "\n").encode())
        for action in destination.route(event):
            try:
                destination.build_request(action, event)
            except CordialHarnessError:
                rejected.add((number, action))
            else:
                delivered[idempotency_key(base, action)] += 1
    return delivered, rejected, malformed


def replay_command(events: Path, endpoint: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cordial_harness",
        "replay",
        str(events),
        "--endpoint",
        endpoint,
        "--api-key",
        API_KEY,
        "--concurrency",
        "8",
        "--max-retries",
        "30",
        "--json",
        *extra,
    ]


def wait_for_progress(
    checkpoint: Path, process: subprocess.Popen, at_least: int, timeout: float = 60
) -> int:
    """Wait until the checkpoint counts ``at_least`` completed lines (the watermark may lag behind
    a line that is being retried, so completed lines are the measure of progress)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "replay finished before it could be interrupted"
        try:
            done = json.loads(checkpoint.read_text())["stats"]["lines"]
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= at_least:
            return done
        time.sleep(0.02)
    raise AssertionError("replay made no progress")


def check_exactly_once(server: CordialServer, lines: list[str], dead_letter: Path) -> dict:
    delivered, rejected, malformed = expected_outcomes(lines)
    entries = server.requests(path="/api/segment/*")
    applied = Counter(
        entry["headers"]["Idempotency-Key"]
        for entry in entries
        if entry["response"]["status"] == 202 and not entry["replayed"]
    )
    assert applied == delivered  # every accepted event exactly once, none missing
    assert {entry["headers"]["Idempotency-Key"] for entry in entries} <= set(delivered)  # nothing else sent
    activities = sum(count for key, count in delivered.items() if key.endswith(":createContactactivity"))
    assert len(server.state()["activities"]) == activities  # appended once per applied request
    dead = [json.loads(line) for line in dead_letter.read_text().splitlines()]
    assert len(dead) == len(rejected) + len(malformed)  # no dead letter written twice
    assert {(entry["line"], entry["action"]) for entry in dead if entry["reason"] == "rejected"} == rejected
    assert {entry["line"] for entry in dead if entry["reason"] == "malformed"} == malformed
    return {"delivered": sum(delivered.values()), "rejected": len(rejected), "malformed": len(malformed)}


def test_sigkill_halfway_under_faults_then_resume_applies_everything_once(
    mock: CordialServer, tmp_path: Path
) -> None:
    lines = event_lines(LINES)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(line + "\n" for line in lines))
    checkpoint = tmp_path / "events.jsonl.checkpoint.json"
    inject_faults(mock)

    first = subprocess.Popen(
        replay_command(events, mock.base_url, "--rate", "150"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        reached = wait_for_progress(checkpoint, first, at_least=LINES * 2 // 5)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate()
    assert first.returncode == -signal.SIGKILL
    saved = json.loads(checkpoint.read_text())
    assert saved["complete"] is False and reached <= saved["stats"]["lines"] < LINES

    second = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["complete"] is True and report["thisRun"]["resumedAtLine"] == saved["watermark"]["line"]

    totals = check_exactly_once(mock, lines, tmp_path / "events.jsonl.dead.jsonl")
    assert report["lines"] == LINES and report["malformed"] == totals["malformed"]
    assert report["requests"]["ok"] == totals["delivered"]  # counters cover the whole file, once
    assert report["requests"]["rejected"] == totals["rejected"] and report["requests"]["failed"] == 0
    assert report["requests"]["retried"] > 0  # the faults were really there
    statuses = Counter(entry["response"]["status"] for entry in mock.requests(path="/api/segment/*"))
    assert statuses[429] and statuses[503] and statuses[0]


def test_ctrl_c_saves_progress_and_resume_finishes(mock: CordialServer, tmp_path: Path) -> None:
    lines = event_lines(120)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(line + "\n" for line in lines))
    checkpoint = tmp_path / "events.jsonl.checkpoint.json"

    first = subprocess.Popen(
        replay_command(events, mock.base_url, "--rate", "60"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_progress(checkpoint, first, at_least=20)
        first.send_signal(signal.SIGINT)
        out, _ = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 130
    interrupted = json.loads(out)
    assert interrupted["stopped"] == "interrupted" and interrupted["complete"] is False
    saved = json.loads(checkpoint.read_text())
    assert saved["complete"] is False and saved["stats"]["lines"] >= 20

    again = subprocess.run(replay_command(events, mock.base_url), capture_output=True, text=True, timeout=60)
    assert again.returncode == 2
    assert "pass --resume to continue it" in again.stderr

    resumed = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    check_exactly_once(mock, lines, tmp_path / "events.jsonl.dead.jsonl")

    done = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["thisRun"]["lines"] == 0  # nothing left to send
    check_exactly_once(mock, lines, tmp_path / "events.jsonl.dead.jsonl")


def test_resume_refuses_a_different_file(mock: CordialServer, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("".join(line + "\n" for line in event_lines(5)))
    checkpoint = tmp_path / "events.jsonl.checkpoint.json"
    stale = {
        "format": "cordial-harness/replay-checkpoint",
        "version": 1,
        "source": {"path": str(events), "headSha256": "0" * 64, "headLength": 10},
        "configurationSha256": "",
        "watermark": {"line": 2, "offset": 40},
        "completedAbove": [],
        "deadLetterSize": 0,
        "complete": False,
        "stats": {},
    }
    checkpoint.write_text(json.dumps(stale))
    proc = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "cannot resume from this checkpoint" in proc.stderr and "first bytes differ" in proc.stderr
    assert mock.requests(path="/api/segment/*") == []

    checkpoint.write_text("{not json")
    proc = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "is not valid JSON" in proc.stderr


def test_a_refused_key_mid_run_stops_and_resume_continues(mock: CordialServer, tmp_path: Path) -> None:
    lines = event_lines(40)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(line + "\n" for line in lines))
    rule = {"path": "/api/segment/upsertContact", "status": 401, "body": {"error": "key revoked"}, "times": 1}
    mock.client.post("/__admin/faults", json=rule).raise_for_status()
    one_at_a_time = replay_command(events, mock.base_url, "--concurrency", "1")  # the last one counts
    first = subprocess.run(one_at_a_time, capture_output=True, text=True, timeout=60)
    assert first.returncode == 1
    assert "stopped:" in first.stderr and "answered 401" in first.stderr and "--resume" in first.stderr
    report = json.loads(first.stdout)
    assert report["stopped"] == "invalid-credentials" and report["complete"] is False
    assert report["error"]["type"] == "InvalidCredentials"

    resumed = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert resumed.returncode == 0, resumed.stderr
    check_exactly_once(mock, lines, tmp_path / "events.jsonl.dead.jsonl")


def test_resume_after_lines_were_appended_sends_only_the_new_ones(
    mock: CordialServer, tmp_path: Path
) -> None:
    lines = event_lines(30)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(line + "\n" for line in lines[:20]))
    first = subprocess.run(replay_command(events, mock.base_url), capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    with events.open("a") as more:
        more.write("".join(line + "\n" for line in lines[20:]))
    resumed = subprocess.run(
        replay_command(events, mock.base_url, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["thisRun"]["lines"] == 10 and report["lines"] == 30
    check_exactly_once(mock, lines, tmp_path / "events.jsonl.dead.jsonl")
