"""`cordial-harness replay` as a user runs it: a real `serve`, files on disk, the mock's admin API.

Also the pure pieces replay is built from (watermark, retry policy, token
bucket, idempotency keys, line parsing), tested directly.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cordial_harness.cli import main
from cordial_harness.replay.checkpoint import CompletionTracker, from_ranges, to_ranges
from cordial_harness.replay.keys import MAX_LENGTH, event_base, idempotency_key, target_names
from cordial_harness.replay.rate import TokenBucket
from cordial_harness.replay.retry import RetryPolicy
from cordial_harness.replay.source import parse_line
from mock_cordial.pytest_plugin import CordialServer, running_server

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
API_KEY = "replay-test-key"


# -- a mock shared by the module, emptied before each test ----------------------------------


@pytest.fixture(scope="module")
def server() -> CordialServer:
    with running_server() as running:
        yield running


@pytest.fixture
def mock(server: CordialServer) -> CordialServer:
    for method, path in (
        ("POST", "/__admin/reset"),
        ("DELETE", "/__admin/faults"),
        ("DELETE", "/__admin/requests"),
    ):
        server.client.request(method, path).raise_for_status()
    server.client.delete("/__admin/rate-limit").raise_for_status()
    return server


def add_fault(server: CordialServer, **rule) -> None:
    server.client.post("/__admin/faults", json=rule).raise_for_status()


def run_replay(events: Path, *args: str, endpoint: str | None = None, env_key: bool = False):
    command = [sys.executable, "-m", "cordial_harness", "replay", str(events)]
    if endpoint is not None:
        command += ["--endpoint", endpoint]
    if not env_key:
        command += ["--api-key", API_KEY]
    proc = subprocess.run(command + list(args), capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def ingest_requests(server: CordialServer) -> list[dict]:
    return server.requests(path="/api/segment/*")


def applied(entries: list[dict]) -> Counter:
    """Idempotency keys of the requests the mock applied (2xx, not a replayed answer)."""
    return Counter(
        entry["headers"].get("Idempotency-Key")
        for entry in entries
        if 200 <= entry["response"]["status"] < 300 and not entry["replayed"]
    )


def when(entry: dict) -> float:
    """When the mock journaled a request (its answer time), in seconds."""
    return datetime.fromisoformat(entry["time"].replace("Z", "+00:00")).timestamp()


def identify(n: int) -> dict:
    traits = {"email": f"u{n}@example.com"}
    return {"type": "identify", "userId": f"u{n}", "messageId": f"m{n}", "traits": traits}


def page(n: int) -> dict:
    return {"type": "page", "userId": f"u{n}", "messageId": f"p{n}", "properties": {"path": f"/{n}"}}


# -- delivering a file ------------------------------------------------------------------------


def test_journey_is_delivered_with_one_request_per_subscription(mock: CordialServer, tmp_path: Path) -> None:
    events = tmp_path / "journey.jsonl"
    events.write_bytes((EXAMPLES / "journey.jsonl").read_bytes())
    code, out, err = run_replay(
        events, "--mapping-file", str(EXAMPLES / "mappings.json"), "--json", endpoint=mock.base_url
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["complete"] is True
    assert (report["lines"], report["events"], report["malformed"]) == (10, 10, 0)
    totals = {"events": 15, "sent": 15, "ok": 15, "retried": 0, "rejected": 0, "failed": 0}
    assert report["requests"] == totals
    by_name = {item["name"]: item for item in report["actions"]}
    assert by_name["Activities"]["ok"] == 6 and by_name["Orders"]["action"] == "upsertOrder"
    entries = ingest_requests(mock)
    assert len(entries) == 15
    keys = applied(entries)
    assert keys["msg-0003:addProductToCart"] == 1 and keys["msg-0003:createContactactivity"] == 1
    assert all(count == 1 for count in keys.values())
    state = mock.state()
    assert len(state["activities"]) == 6
    assert [order["orderID"] for order in state["orders"]] == ["order-5001"]
    assert not (tmp_path / "journey.jsonl.dead.jsonl").read_text()
    checkpoint = json.loads((tmp_path / "journey.jsonl.checkpoint.json").read_text())
    assert checkpoint["complete"] is True and checkpoint["watermark"]["line"] == 10


def test_human_output_is_a_table_per_subscription(mock: CordialServer, tmp_path: Path) -> None:
    events = write_lines(tmp_path / "e.jsonl", [identify(1), page(2)])
    code, out, _ = run_replay(events, endpoint=mock.base_url)
    assert code == 0
    assert "upsertContact" in out and "createContactactivity" in out and "2xx" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
    assert "2 lines: 2 events" in out


def test_progress_bar_is_drawn_only_on_a_terminal(mock: CordialServer, tmp_path: Path) -> None:
    events = write_lines(tmp_path / "e.jsonl", [identify(n) for n in range(30)])
    command = [sys.executable, "-m", "cordial_harness", "replay", str(events), "--api-key", API_KEY]
    command += ["--endpoint", mock.base_url, "--rate", "40"]
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    drawn = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        drawn.append(chunk)
    out, _ = proc.communicate(timeout=60)
    os.close(controller)
    assert proc.returncode == 0
    progress = b"".join(drawn).decode("utf-8", "replace")
    assert "events/s" in progress and "sent 30" in progress and "rejected 0" in progress
    assert "\x1b[" in progress  # drawn with terminal control codes on the terminal...
    assert b"\x1b[" not in out and b"events/s" in out  # ...and plain text in the summary on the pipe


def test_bad_lines_rejections_and_unmatched_events_are_accounted_for(
    mock: CordialServer, tmp_path: Path
) -> None:
    cart_add_without_product = {
        "type": "track",
        "event": "Product Added",
        "userId": "u9",
        "messageId": "bad-cart",
        "properties": {"quantity": 1},
    }
    lines = [
        identify(1),
        '{"type": "identify", "userId": ',  # line 2: not JSON
        "",  # line 3: blank, skipped
        "[1, 2]",  # line 4: not an object
        cart_add_without_product,  # line 5: activity sent, cart add rejected
        {"type": "screen", "userId": "u1"},  # line 6: no subscription takes a screen
        {"id": "w1", "event": page(7)},  # line 7: a wrapped event
        {"id": "w2", "event": page(8), "action": "upsertContact"},  # line 8: not a wrapper replay reads
    ]
    events = write_lines(tmp_path / "mixed.jsonl", lines)
    code, out, err = run_replay(events, "--json", endpoint=mock.base_url)
    assert code == 0, err  # rejections are production's verdicts, not failures of the run
    report = json.loads(out)
    assert (report["lines"], report["events"], report["malformed"], report["unmatched"]) == (7, 4, 3, 1)
    assert report["deadLettered"] == 4
    dead_text = (tmp_path / "mixed.jsonl.dead.jsonl").read_text()
    # written as lines complete, so not necessarily in file order
    dead = sorted((json.loads(line) for line in dead_text.splitlines()), key=lambda entry: entry["line"])
    assert [(entry["line"], entry["reason"]) for entry in dead] == [
        (2, "malformed"),
        (4, "malformed"),
        (5, "rejected"),
        (8, "malformed"),
    ]
    assert dead[0]["error"]["message"].startswith("line 2, column 32: invalid JSON")
    assert dead[0]["text"] == '{"type": "identify", "userId": '
    rejected = dead[2]
    assert rejected["action"] == "addProductToCart" and rejected["messageId"] == "bad-cart"
    assert rejected["error"]["type"] == "PayloadValidationError"
    assert "The root value is missing the required field 'productID'." in rejected["error"]["message"]
    assert rejected["event"] == cart_add_without_product
    assert dead[3]["id"] == "w2" and "'action'" in dead[3]["error"]["message"]
    keys = applied(ingest_requests(mock))
    assert set(keys) == {"m1:upsertContact", "bad-cart:createContactactivity", "p7:createContactactivity"}


def test_retryable_answers_are_retried_until_delivered_once(mock: CordialServer, tmp_path: Path) -> None:
    add_fault(mock, path="/api/segment/*", status=429, headers={"Retry-After": "0.3"}, times=2)
    add_fault(mock, path="/api/segment/*", status=503, body={"error": "busy"}, times=2)
    add_fault(mock, path="/api/segment/*", drop=True, times=2)
    events = write_lines(tmp_path / "e.jsonl", [identify(n) for n in range(10)])
    code, out, err = run_replay(events, "--json", "--concurrency", "4", endpoint=mock.base_url)
    assert code == 0, err
    report = json.loads(out)
    assert report["requests"]["ok"] == 10 and report["requests"]["retried"] == 6
    assert report["requests"]["sent"] == 16 and report["requests"]["failed"] == 0
    entries = ingest_requests(mock)
    statuses = Counter(entry["response"]["status"] for entry in entries)
    assert statuses == Counter({202: 10, 429: 2, 503: 2, 0: 2})  # 0: the connection was dropped
    assert applied(entries) == Counter({f"m{n}:upsertContact": 1 for n in range(10)})
    assert len(mock.state()["contacts"]) == 10
    by_key: dict[str, list[dict]] = {}
    for entry in entries:
        by_key.setdefault(entry["headers"]["Idempotency-Key"], []).append(entry)
    waits = [
        when(later) - when(earlier)
        for tries in by_key.values()
        for earlier, later in zip(tries, tries[1:], strict=False)
        if earlier["response"]["status"] == 429
    ]
    assert len(waits) == 2 and min(waits) >= 0.29  # Retry-After: 0.3 was honoured


def test_a_repeated_key_is_answered_without_applying_twice(mock: CordialServer, tmp_path: Path) -> None:
    # two lines with the same messageId: Segment would deduplicate them, and so does the key
    events = write_lines(tmp_path / "e.jsonl", [page(1), page(1)])
    code, out, _ = run_replay(events, "--json", "--concurrency", "1", endpoint=mock.base_url)
    assert code == 0
    entries = ingest_requests(mock)
    assert [entry["replayed"] for entry in entries] == [False, True]
    assert len(mock.state()["activities"]) == 1


def test_events_without_message_id_get_a_stable_key_from_line_and_content(
    mock: CordialServer, tmp_path: Path
) -> None:
    event = {"type": "identify", "userId": "anon-line"}
    events = write_lines(tmp_path / "e.jsonl", [event, event])
    code, _, _ = run_replay(events, endpoint=mock.base_url)
    assert code == 0
    keys = sorted(entry["headers"]["Idempotency-Key"] for entry in ingest_requests(mock))
    assert len(set(keys)) == 2 and keys[0].startswith("line1-") and keys[1].startswith("line2-")
    assert all(key.endswith(":upsertContact") for key in keys)


def test_requests_that_fail_for_good_go_to_the_dead_letter_with_status_and_body(
    mock: CordialServer, tmp_path: Path
) -> None:
    add_fault(mock, path="/api/segment/upsertContact", status=400, body={"error": "no such list"}, times=1)
    add_fault(mock, path="/api/segment/createContactactivity", status=503, body="down")
    events = write_lines(tmp_path / "e.jsonl", [identify(1), identify(2), page(3)])
    code, out, err = run_replay(
        events, "--json", "--max-retries", "1", "--concurrency", "1", endpoint=mock.base_url
    )
    assert code == 1
    assert "2 request(s) failed for good" in err
    report = json.loads(out)
    assert report["complete"] is True
    assert report["requests"] == {"events": 3, "sent": 4, "ok": 1, "retried": 1, "rejected": 0, "failed": 2}
    dead = [json.loads(line) for line in (tmp_path / "e.jsonl.dead.jsonl").read_text().splitlines()]
    assert [(entry["line"], entry["reason"], entry["attempts"]) for entry in dead] == [
        (1, "failed", 1),
        (3, "failed", 2),
    ]
    assert dead[0]["error"]["type"] == "NonRetryableError" and dead[0]["error"]["status"] == 400
    assert json.loads(dead[0]["error"]["body"]) == {"error": "no such list"}
    assert dead[1]["error"] == {
        "type": "RetryableError",
        "message": f"POST {mock.base_url}/api/segment/createContactactivity answered 503",
        "status": 503,
        "body": "down",
    }
    assert dead[1]["idempotencyKey"] == "p3:createContactactivity" and dead[1]["event"] == page(3)


def test_at_most_n_requests_are_in_flight(mock: CordialServer, tmp_path: Path) -> None:
    add_fault(mock, path="/api/segment/*", delay=0.15)
    events = write_lines(tmp_path / "e.jsonl", [identify(n) for n in range(12)])
    code, _, err = run_replay(events, "--concurrency", "3", endpoint=mock.base_url)
    assert code == 0, err
    # Journal times have millisecond resolution: shrink each 150 ms span by 10 ms at both
    # ends so requests that merely touch are not counted as overlapping.
    spans = [
        (when(entry) - entry["durationMs"] / 1000 + 0.01, when(entry) - 0.01)
        for entry in ingest_requests(mock)
    ]
    overlap = max(sum(1 for s, e in spans if s < point <= e) for _, point in spans)
    assert 1 < overlap <= 3


def test_rate_limits_requests_per_second(mock: CordialServer, tmp_path: Path) -> None:
    events = write_lines(tmp_path / "e.jsonl", [identify(n) for n in range(11)])
    code, _, _ = run_replay(events, "--rate", "25", "--concurrency", "4", endpoint=mock.base_url)
    assert code == 0
    times = sorted(when(entry) for entry in ingest_requests(mock))
    assert times[-1] - times[0] >= 10 / 25 - 0.02  # 11 requests, evenly spaced at 25/s


def test_report_file_matches_json_output(mock: CordialServer, tmp_path: Path) -> None:
    events = write_lines(tmp_path / "e.jsonl", [identify(1)])
    code, out, _ = run_replay(events, "--json", "--report", str(tmp_path / "r.json"), endpoint=mock.base_url)
    assert code == 0
    assert json.loads((tmp_path / "r.json").read_text()) == json.loads(out)


def test_api_key_from_environment_and_refused_key(tmp_path: Path) -> None:
    events = write_lines(tmp_path / "e.jsonl", [identify(1)])
    with running_server(api_keys=["the-right-key"]) as guarded:
        command = [sys.executable, "-m", "cordial_harness", "replay", str(events)]
        command += ["--endpoint", guarded.base_url]
        env_ok = {**_env(), "CORDIAL_API_KEY": "the-right-key"}
        ok = subprocess.run(command, capture_output=True, text=True, env=env_ok, timeout=60)
        assert ok.returncode == 0, ok.stderr
        (tmp_path / "e.jsonl.checkpoint.json").unlink()
        bad = subprocess.run(command + ["--api-key", "wrong"], capture_output=True, text=True, timeout=60)
        assert bad.returncode == 1
        assert "refused the API key (401)" in bad.stderr
        assert len(guarded.requests(path="/api/segment/*")) == 1  # only the first run's request


def _env() -> dict:
    import os

    return {key: value for key, value in os.environ.items() if key != "CORDIAL_API_KEY"}


# -- usage errors: exit status 2 with one clear line ------------------------------------------


def test_unreachable_endpoint_is_a_clear_usage_error(tmp_path: Path) -> None:
    from mock_cordial.pytest_plugin import free_port

    events = write_lines(tmp_path / "e.jsonl", [identify(1)])
    code, _, err = run_replay(events, endpoint=f"http://127.0.0.1:{free_port()}")
    assert code == 2
    assert "cannot reach the endpoint http://127.0.0.1:" in err
    assert not (tmp_path / "e.jsonl.checkpoint.json").exists()  # nothing was started


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("none", [], "missing.jsonl: file not found"),
        ("events", ["--mapping-file", "bad.json"], "bad.json: invalid JSON at line 2, column 1"),
        ("events", ["--mapping-file", "badsub.json"], "Invalid subscription"),
        ("events", ["--concurrency", "0"], "Invalid value for '-n' / '--concurrency'"),
        ("events", ["--endpoint", "ftp://x"], "must be an http:// or https:// URL"),
        ("events", ["--endpoint", ""], "no endpoint"),
    ],
)
def test_usage_errors(tmp_path: Path, setup: str, args: list, message: str) -> None:
    # rejected before anything is sent, so in process (click's runner) to keep the suite fast
    (tmp_path / "bad.json").write_text('{"settings":\n')
    (tmp_path / "badsub.json").write_text(
        json.dumps({"subscriptions": [{"action": "upsertContact", "subscribe": 'type = "identify'}]})
    )
    events = tmp_path / "missing.jsonl"
    if setup == "events":
        events = write_lines(tmp_path / "e.jsonl", [identify(1)])
    args = [str(tmp_path / arg) if arg.endswith(".json") else arg for arg in args]
    command = ["replay", str(events), "--api-key", "k", "--endpoint", "http://x", *args]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert message in result.stderr


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["replay", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--resume" in result.output and "--json" in result.output


# -- the pure pieces --------------------------------------------------------------------------


@given(st.permutations(list(range(1, 40))))
def test_watermark_is_the_longest_completed_prefix(order: list[int]) -> None:
    tracker = CompletionTracker()
    for number in range(1, 40):
        tracker.dispatch(number, number * 10)
    done: set[int] = set()
    for number in order:
        tracker.complete(number)
        done.add(number)
        prefix = 0
        while prefix + 1 in done:
            prefix += 1
        assert (tracker.line, tracker.offset) == (prefix, prefix * 10)
        assert set(tracker.completed_above()) == {n for n in done if n > prefix}
    assert tracker.pending == 0 and tracker.open_lines == 0


@given(st.sets(st.integers(min_value=1, max_value=500)))
def test_completed_lines_survive_the_range_encoding(numbers: set[int]) -> None:
    assert from_ranges(to_ranges(sorted(numbers))) == numbers


@given(st.integers(min_value=1, max_value=30), st.floats(min_value=0, max_value=1))
def test_backoff_grows_stays_capped_and_honours_retry_after(retry: int, rand: float) -> None:
    policy = RetryPolicy(max_retries=5, base_delay=0.1, max_delay=2.0, max_retry_after=30.0)
    backoff = min(2.0, 0.1 * 2 ** (retry - 1))
    assert backoff / 2 <= policy.delay(retry, rand=lambda: rand) <= backoff
    assert policy.delay(retry, retry_after=7.0, rand=lambda: rand) >= 7.0
    assert policy.delay(retry, retry_after=3600.0, rand=lambda: rand) == 30.0


def test_retries_stop_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2)
    assert [policy.should_retry(n) for n in range(4)] == [True, True, False, False]


def test_token_bucket_spaces_requests_evenly() -> None:
    now = [100.0]
    bucket = TokenBucket(rate=10, clock=lambda: now[0])
    waits = [bucket.reserve() for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    now[0] += 10  # idle for long: at most one token saved up
    assert bucket.reserve() == 0.0
    assert bucket.reserve() == pytest.approx(0.1)


@given(st.text(max_size=300), st.sampled_from(["upsertContact", "Käufe", "Orders#3"]))
def test_idempotency_keys_are_header_safe_and_deterministic(message_id: str, target: str) -> None:
    key = idempotency_key(message_id, target)
    assert key == idempotency_key(message_id, target)
    assert len(key) <= MAX_LENGTH and all(0x21 <= ord(ch) < 0x7F for ch in key)
    plain = f"{message_id}:{target}"
    if len(plain) <= MAX_LENGTH and all(0x21 <= ord(ch) < 0x7F for ch in plain):
        assert key == plain


def test_key_names_disambiguate_subscriptions_that_share_an_action() -> None:
    names = target_names([("a", "upsertContact"), ("b", "upsertContact"), ("x", "mergeContacts")])
    assert names == ["a", "b", "mergeContacts"]
    assert target_names([("s", "upsertOrder"), ("s", "upsertOrder")]) == ["s#0", "s#1"]


def test_event_base_prefers_message_id() -> None:
    assert event_base({"messageId": "m-1"}, 7, b"{}") == "m-1"
    assert event_base({"messageId": 5}, 7, b"{}") == event_base({}, 7, b"{}")
    assert event_base({}, 7, b"{}") != event_base({}, 8, b"{}")


def test_parse_line_reads_events_and_wrappers_and_names_bad_lines() -> None:
    assert parse_line(b'{"type": "page"}\n', 1).event == {"type": "page"}
    wrapped = parse_line(b'{"id": 3, "event": {"type": "page"}}', 1)
    assert (wrapped.event, wrapped.line_id) == ({"type": "page"}, 3)
    assert parse_line(b'{"type": "track", "event": "Signed Up"}', 1).event["event"] == "Signed Up"
    assert parse_line(b"\xff\xfe{}", 4).error is not None
    assert parse_line(b'{"a": NaN}', 9).error.startswith("line 9")
    expected = 'line 2: expected a JSON object (an event or {"id", "event"}), got number'
    assert parse_line(b"12", 2).error == expected
