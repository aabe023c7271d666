"""`cordial-harness map` as a user runs it: JSON lines in, JSON lines out, no network."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_map(lines: list, *args: str, raw: str | None = None) -> tuple[int, list[dict], str]:
    text = raw if raw is not None else "".join(json.dumps(line) + "\n" for line in lines)
    proc = subprocess.run(
        [sys.executable, "-m", "cordial_harness", "map", *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, out, proc.stderr


IDENTIFY = {"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"}}


def test_action_line_gives_the_request_with_redacted_key() -> None:
    code, out, _ = run_map([{"id": 1, "action": "upsertContact", "event": IDENTIFY}], "--api-key", "secret")
    assert code == 0
    assert out == [
        {
            "id": 1,
            "action": "upsertContact",
            "request": {
                "method": "POST",
                "url": "https://integrations-ingest-svc.usw1.cordial.com/api/segment/upsertContact",
                "headers": {
                    "Accept": "application/json",
                    "User-Agent": "Segment (Actions)",
                    "x-api-key": "***",
                    "Content-Type": "application/json",
                },
                "json": {"segmentId": "u1"},
            },
        }
    ]


def test_show_secrets_and_line_settings_override_options() -> None:
    line = {
        "id": "a",
        "action": "upsertContact",
        "event": IDENTIFY,
        "settings": {"apiKey": "line-key", "endpoint": "http://127.0.0.1:9", "segmentIdKey": "sid"},
    }
    code, out, _ = run_map([line], "--api-key", "cli-key", "--show-secrets")
    assert code == 0
    request = out[0]["request"]
    assert request["headers"]["x-api-key"] == "line-key"
    assert request["url"] == "http://127.0.0.1:9/api/segment/upsertContact"
    assert request["json"] == {"segmentIdKey": "sid", "segmentId": "u1"}


def test_routing_without_action_gives_one_line_per_action() -> None:
    added = {
        "type": "track",
        "event": "Product Added",
        "userId": "u",
        "properties": {"product_id": "p", "sku": "s", "quantity": 1, "category": "c", "name": "n"},
    }
    code, out, _ = run_map(
        [{"id": 1, "event": added}, {"id": 2, "event": {"type": "screen"}}], "--api-key", "k"
    )
    assert code == 0
    assert [(line["id"], line["action"]) for line in out] == [
        (1, "createContactactivity"),
        (1, "addProductToCart"),
        (2, None),
    ]
    assert out[2]["skipped"] == "no subscription matched"


def test_subscribe_filters_and_rejections_are_reported() -> None:
    lines = [
        {"id": 1, "action": "upsertContact", "subscribe": 'type = "track"', "event": IDENTIFY},
        {"id": 2, "action": "addProductToCart", "event": {"type": "track", "properties": {}}},
        {"id": 3, "action": "upsertContact", "subscribe": 'type = "identify"', "event": IDENTIFY},
    ]
    code, out, _ = run_map(lines, "--api-key", "k")
    assert code == 0
    assert out[0] == {"id": 1, "action": "upsertContact", "skipped": "subscription did not match"}
    assert out[1]["error"]["type"] == "PayloadValidationError"
    assert "missing the required field" in out[1]["error"]["message"]
    assert "request" in out[2]


def test_malformed_lines_are_reported_and_the_rest_go_on() -> None:
    raw = "\n".join(
        [
            "{not json",
            json.dumps({"id": 2, "event": "nope"}),
            json.dumps({"id": 3, "action": "nope", "event": IDENTIFY}),
            json.dumps(
                {"id": 4, "action": "upsertContact", "event": IDENTIFY, "mapping": {"x": {"@nope": 1}}}
            ),
            json.dumps(
                {"id": 5, "action": "upsertContact", "event": IDENTIFY, "settings": {"endpoint": "ftp://x"}}
            ),
            json.dumps({"id": 6, "action": "upsertContact", "event": IDENTIFY}),
        ]
    )
    code, out, _ = run_map([], "--api-key", "k", raw=raw)
    assert code == 0
    assert len(out) == 6
    assert out[0]["error"]["type"] == "InvalidInput" and "line 1, column" in out[0]["error"]["message"]
    assert out[1] == {
        "id": 2,
        "error": {"type": "InvalidInput", "message": "'event' is required and must be a JSON object"},
    }
    assert out[2]["error"]["type"] == "UnknownAction"
    assert out[3]["error"]["type"] == "InvalidMapping" and "x" in out[3]["error"]["field"]
    assert out[4]["error"]["type"] == "InvalidSettings" and out[4]["error"]["field"] == "endpoint"
    assert "request" in out[5]


def test_missing_api_key_is_an_error_per_line() -> None:
    code, out, _ = run_map([{"id": 1, "action": "upsertContact", "event": IDENTIFY}])
    assert code == 0
    assert out[0]["error"]["type"] == "InvalidSettings" and out[0]["error"]["field"] == "apiKey"


def test_bundled_journey_maps(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cordial_harness",
            "map",
            str(REPO / "examples" / "journey.jsonl"),
            "-o",
            str(output),
            "--api-key",
            "k",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in output.read_text().splitlines()]
    assert all("request" in line for line in out), [line for line in out if "request" not in line]
    assert {line["action"] for line in out} == {
        "createContactactivity",
        "upsertContact",
        "addContactToList",
        "addProductToCart",
        "removeProductFromCart",
        "upsertOrder",
        "mergeContacts",
    }


@pytest.mark.parametrize("args", [["--help"], ["map", "--help"]])
def test_help(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cordial_harness", *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "map" in proc.stdout
