"""`cordial-harness fuzz` as a user runs it: tables or JSON, a replayable failures file, the exit status."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.serving import make_server

from contracts.fuzz import (
    ACTION_EVENTS,
    Built,
    CaseFailure,
    DestinationPool,
    Finding,
    Rejected,
    build,
    fuzz_cases,
)
from cordial_harness.cli import main
from cordial_harness.map_lines import LineMapper
from reference import js_json

ACCEPTED = (202, "application/json", b'{"success":"success"}')
REFUSED = (
    422,
    "application/problem+json",
    b'{"type":"about:blank","title":"Unprocessable","status":422,"detail":"refused by the stand-in"}',
)


class StandIn:
    """A fake ingest service on a loopback port: answers every request the same way and keeps the keys."""

    def __init__(self, answer: tuple[int, str, bytes]) -> None:
        self.answer = answer
        self.keys: list[str | None] = []
        self.paths: list[str] = []

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        self.keys.append(environ.get("HTTP_X_API_KEY"))
        self.paths.append(environ.get("PATH_INFO", ""))
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        status, content_type, body = self.answer
        start_response(f"{status} Stand-in", [("Content-Type", content_type)])
        return [body]


@pytest.fixture
def stand_in() -> Iterator[Callable[[tuple[int, str, bytes]], tuple[str, StandIn]]]:
    servers = []

    def start(answer: tuple[int, str, bytes]) -> tuple[str, StandIn]:
        app = StandIn(answer)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", app

    yield start
    for server in servers:
        server.shutdown()


def fuzz(*args: str) -> Result:
    return CliRunner().invoke(main, ["fuzz", *args], catch_exceptions=False)


def fuzz_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = fuzz(*args, "--json")
    return result.exit_code, json.loads(result.stdout)


def test_every_event_is_accounted_for_per_action(stand_in, tmp_path: Path) -> None:
    url, _ = stand_in(ACCEPTED)
    code, report = fuzz_json(
        "--base-url", url, "-n", "25", "--seed", "3", "--no-schemathesis",
        "--action", "upsertOrder", "--action", "mergeContacts", "-o", str(tmp_path / "f.jsonl"),
    )  # fmt: skip
    assert code == 0, report
    assert report["ok"] is True and report["seed"] == 3 and report["failuresFile"] is None
    tallies = {tally["action"]: tally for tally in report["events"]["actions"]}
    assert list(tallies) == ["upsertOrder", "mergeContacts"]
    for tally in tallies.values():
        assert tally["events"] == 25
        assert tally["sent"] + tally["rejected"] == 25
        assert tally["contractValid"] == tally["sent"]
        assert sum(tally["rejectedBy"].values()) == tally["rejected"]
        assert tally["failedCases"] == 0
    assert not (tmp_path / "f.jsonl").exists()


def test_the_same_seed_reproduces_the_run(stand_in, tmp_path: Path) -> None:
    url, _ = stand_in(ACCEPTED)
    args = ("--base-url", url, "-n", "15", "--no-schemathesis", "--action", "addProductToCart")
    first = fuzz_json(*args, "--seed", "42", "-o", str(tmp_path / "a.jsonl"))
    again = fuzz_json(*args, "--seed", "42", "-o", str(tmp_path / "b.jsonl"))
    assert first == again
    other = fuzz_json(*args, "--seed", "43", "-o", str(tmp_path / "c.jsonl"))
    assert other[1]["events"]["actions"] != first[1]["events"]["actions"]


def test_tables_show_counts_and_rejection_reasons(stand_in, tmp_path: Path) -> None:
    url, _ = stand_in(ACCEPTED)
    result = fuzz(
        "--base-url", url, "-n", "20", "--seed", "5", "--no-schemathesis", "--action", "upsertOrder",
        "-o", str(tmp_path / "f.jsonl"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for row in ("upsertOrder", "events", "requests sent", "contract-valid", "rejected", "failures"):
        assert row in result.stdout
    assert "PayloadValidationError" in result.stdout or "Mapping" in result.stdout
    assert "no failures (seed 5)" in result.stdout


def test_failing_cases_go_to_a_file_that_map_replays(stand_in, tmp_path: Path) -> None:
    url, _ = stand_in(REFUSED)
    failures = tmp_path / "failures.jsonl"
    code, report = fuzz_json(
        "--base-url", url, "-n", "10", "--seed", "9", "--no-schemathesis", "--action", "upsertContact",
        "-o", str(failures),
    )  # fmt: skip
    assert code == 1 and report["ok"] is False
    assert report["failuresFile"] == str(failures)
    lines = [js_json.loads(line) for line in failures.read_text(encoding="utf-8").split("\n") if line]
    tally = report["events"]["actions"][0]
    assert len(lines) == tally["failedCases"] == tally["sent"] > 0
    for line in lines:
        assert line["action"] == "upsertContact"
        assert line["failure"]["kind"] == "mock-refused-valid-request"
        assert "refused by the stand-in" in line["failure"]["message"]
        assert line["settings"]["apiKey"]
    replayed = [out for line in lines for out in LineMapper().map(line)]
    assert [out["id"] for out in replayed] == [line["id"] for line in lines]
    assert all(out["request"]["url"].endswith("/api/segment/upsertContact") for out in replayed)


def test_an_api_key_given_is_sent_but_never_written(stand_in, tmp_path: Path) -> None:
    url, app = stand_in(REFUSED)
    failures = tmp_path / "failures.jsonl"
    result = fuzz(
        "--base-url", url, "-n", "8", "--seed", "1", "--no-schemathesis", "--action", "addContactToList",
        "--api-key", "the-mock-key", "-o", str(failures),
    )  # fmt: skip
    assert result.exit_code == 1
    assert app.keys and set(app.keys) == {"the-mock-key"}
    assert "the-mock-key" not in failures.read_text(encoding="utf-8")
    assert "--api-key KEY" in result.stdout


def test_no_answer_is_a_failure(tmp_path: Path) -> None:
    code, report = fuzz_json(
        "--base-url", "http://127.0.0.1:9", "-n", "5", "--seed", "2", "--no-schemathesis",
        "--action", "mergeContacts", "-o", str(tmp_path / "f.jsonl"),
    )  # fmt: skip
    assert code == 1
    assert set(report["events"]["actions"][0]["failures"]) == {"no-answer"}


def test_in_process_run_includes_schemathesis_for_both_contracts(tmp_path: Path) -> None:
    code, report = fuzz_json(
        "-n", "2", "--seed", "1", "--action", "upsertContact", "--api-examples", "1",
        "-o", str(tmp_path / "f.jsonl"),
    )  # fmt: skip
    contracts = {api["contract"]: api for api in report["schemathesis"]}
    assert set(contracts) == {"ingest", "rest-v2"}
    assert "POST /api/segment/upsertContact" in {op["operation"] for op in contracts["ingest"]["operations"]}
    assert "POST /v2/contacts" in {op["operation"] for op in contracts["rest-v2"]["operations"]}
    assert code == (0 if report["ok"] else 1)
    assert report["ok"] == (report["events"]["ok"] and all(api["ok"] for api in contracts.values()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-n", "0"], "1<=x"),
        (["--action", "nope"], "nope"),
        (["--base-url", "ftp://example.com"], "must be an http:// or https:// URL"),
        (["-o", "/no/such/dir/f.jsonl"], "does not exist"),
        (["--api-key", ""], "must not be empty"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["fuzz", "--no-schemathesis", *args])
    assert result.exit_code == 2
    assert message in result.output


@given(data=st.data())
def test_a_written_case_replays_through_map_as_it_was_built(data: st.DataObject) -> None:
    action = data.draw(st.sampled_from(tuple(ACTION_EVENTS)), label="action")
    case = data.draw(fuzz_cases(action), label="case")
    outcome = build(case, DestinationPool())
    line = js_json.loads(js_json.dumps(CaseFailure(case, (Finding("k", "m"),)).to_line()))
    (replayed,) = LineMapper(show_secrets=True).map(line)
    if isinstance(outcome, Built):
        assert replayed["request"]["url"] == outcome.request.url
        assert js_json.dumps(replayed["request"]["json"]) == outcome.request.content.decode("utf-8")
    else:
        assert isinstance(outcome, Rejected), outcome
        assert replayed["error"]["message"] == outcome.message
