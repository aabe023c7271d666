"""`cordial-harness send` as a user runs it: one event file, the request and the answer printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cordial_harness.cli import main
from mock_cordial.pytest_plugin import CordialServer, free_port, running_server

API_KEY = "send-test-key"
IDENTIFY = {
    "type": "identify",
    "userId": "u1",
    "messageId": "msg-1",
    "traits": {"email": "ada@example.com", "first_name": "Ada"},
}
PRODUCT_ADDED = {
    "type": "track",
    "event": "Product Added",
    "userId": "u2",
    "messageId": "msg-2",
    "properties": {"product_id": "p1", "sku": "S-1", "name": "Tent", "category": "Gear", "quantity": 2},
}


@pytest.fixture(scope="module")
def server() -> CordialServer:
    with running_server() as running:
        yield running


@pytest.fixture
def mock(server: CordialServer) -> CordialServer:
    server.client.post("/__admin/reset").raise_for_status()
    server.client.delete("/__admin/requests").raise_for_status()
    return server


def run_send(tmp_path: Path, event, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    path = tmp_path / "event.json"
    path.write_text(event if isinstance(event, str) else json.dumps(event))
    source = "-" if stdin is not None else str(path)
    command = [sys.executable, "-m", "cordial_harness", "send", source, *args]
    proc = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    return proc.returncode, proc.stdout, proc.stderr


def test_dry_run_prints_the_request_production_sends(tmp_path: Path) -> None:
    code, out, err = run_send(tmp_path, IDENTIFY, "--dry-run", "--json", "--segment-id-key", "segment_id")
    assert code == 0, err
    result = json.loads(out)
    assert result["dryRun"] is True
    [only] = result["results"]
    assert only["action"] == "upsertContact"
    assert only["request"]["url"] == "https://integrations-ingest-svc.usw1.cordial.com/api/segment/upsertContact"
    assert only["request"]["headers"]["x-api-key"] == "***"
    assert only["request"]["headers"]["Idempotency-Key"] == "msg-1:upsertContact"
    assert only["body"] == '{"segmentIdKey":"segment_id","segmentId":"u1"}'
    assert "response" not in only


def test_sends_and_prints_the_answer(mock: CordialServer, tmp_path: Path) -> None:
    args = ("--endpoint", mock.base_url, "--api-key", API_KEY)
    code, out, err = run_send(tmp_path, PRODUCT_ADDED, *args)
    assert code == 0, err
    assert f"createContactactivity: POST {mock.base_url}/api/segment/createContactactivity" in out
    assert "addProductToCart: POST" in out
    assert out.count("answer: 202") == 2
    assert API_KEY not in out and "x-api-key: ***" in out
    entries = mock.requests(path="/api/segment/*")
    assert [entry["headers"]["Idempotency-Key"] for entry in entries] == [
        "msg-2:createContactactivity",
        "msg-2:addProductToCart",
    ]
    [cart] = mock.state()["carts"].values()
    assert "p1" in json.dumps(cart)


def test_json_output_has_request_and_answer(mock: CordialServer, tmp_path: Path) -> None:
    args = ("--endpoint", mock.base_url, "--api-key", API_KEY, "--json", "--show-secrets")
    code, out, _ = run_send(tmp_path, {"id": "wrapped", "event": IDENTIFY}, *args)
    assert code == 0
    [result] = json.loads(out)["results"]
    assert result["request"]["headers"]["x-api-key"] == API_KEY
    assert result["response"]["status"] == 202 and result["response"]["body"] == {"success": "success"}
    assert len(mock.state()["contacts"]) == 1


def test_action_with_mapping(mock: CordialServer, tmp_path: Path) -> None:
    mapping = {"attributes": {"first_name": {"@path": "$.traits.first_name"}}}
    (tmp_path / "mapping.json").write_text(json.dumps(mapping))
    args = ("--action", "upsertContact", "--mapping", "mapping.json", "--endpoint", mock.base_url)
    code, out, err = run_send(tmp_path, IDENTIFY, *args, "--api-key", API_KEY, "--json")
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert result["body"] == '{"segmentId":"u1","attributes":{"first_name":"Ada"}}'


def test_rejected_event_exits_1_with_productions_message(mock: CordialServer, tmp_path: Path) -> None:
    event = {**PRODUCT_ADDED, "properties": {"quantity": "two"}}
    args = ("--action", "addProductToCart", "--endpoint", mock.base_url, "--api-key", API_KEY)
    code, out, _ = run_send(tmp_path, event, *args)
    assert code == 1
    assert "rejected (PayloadValidationError)" in out
    assert "The root value is missing the required field 'productID'." in out
    assert mock.requests(path="/api/segment/*") == []


def test_event_that_matches_nothing_sends_nothing(tmp_path: Path) -> None:
    code, out, _ = run_send(tmp_path, {"type": "screen", "userId": "u1"}, "--dry-run")
    assert code == 1
    assert "nothing was sent" in out


def test_refused_key_shows_the_401(tmp_path: Path) -> None:
    with running_server(api_keys=["the-right-key"]) as guarded:
        args = ("--endpoint", guarded.base_url, "--api-key", "wrong", "--json")
        code, out, _ = run_send(tmp_path, IDENTIFY, *args)
    assert code == 1
    [result] = json.loads(out)["results"]
    assert result["response"]["status"] == 401
    assert result["error"]["type"] == "InvalidCredentials"


def test_reads_stdin(tmp_path: Path) -> None:
    code, out, _ = run_send(tmp_path, "", "--dry-run", "--json", stdin=json.dumps(IDENTIFY))
    assert code == 0 and json.loads(out)["results"][0]["action"] == "upsertContact"


@pytest.mark.parametrize(
    ("event", "args", "message"),
    [
        ('{"type": "identify",\n  "userId": }', ["--dry-run"], "invalid JSON at line 2, column 13"),
        ("[1]", ["--dry-run"], "an event must be a JSON object, got array"),
        (IDENTIFY, ["--dry-run", "--mapping", "m.json"], "--mapping needs --action"),
        (IDENTIFY, ["--dry-run", "--action", "nope"], "unknown action 'nope'"),
        (IDENTIFY, [], "no API key"),
        (IDENTIFY, ["--api-key", "k", "--endpoint", "ftp://x"], "must be an http:// or https:// URL"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, event, args: list, message: str) -> None:
    # refused before anything is sent, so in process (click's runner) to keep the suite fast
    (tmp_path / "m.json").write_text("{}")
    path = tmp_path / "event.json"
    path.write_text(event if isinstance(event, str) else json.dumps(event))
    args = [str(tmp_path / arg) if arg.endswith(".json") else arg for arg in args]
    result = CliRunner().invoke(main, ["send", str(path), *args], env={"CORDIAL_API_KEY": None})
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_and_unreachable_endpoint_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["send", str(tmp_path / "nope.json"), "--dry-run"])
    assert result.exit_code == 2 and "nope.json: file not found" in result.stderr
    endpoint = f"http://127.0.0.1:{free_port()}"
    code, _, err = run_send(tmp_path, IDENTIFY, "--endpoint", endpoint, "--api-key", "k")
    assert code == 2 and f"cannot reach {endpoint}/api/segment/upsertContact" in err


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["send", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--dry-run" in result.output and "--json" in result.output
