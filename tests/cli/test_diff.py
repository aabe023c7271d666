"""`cordial-harness diff` as a user runs it: two configurations, one events file, the differences."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((REPO / "examples" / "mappings.json").read_text())
JOURNEY = str(REPO / "examples" / "journey.jsonl")


def run_diff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cordial_harness", "diff", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        input=stdin,
    )


@pytest.fixture
def old_config(tmp_path: Path) -> Path:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(EXAMPLE))
    return path


def new_config(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data))
    return path


def subscription(data: dict, name: str) -> dict:
    return next(item for item in data["subscriptions"] if item["name"] == name)


def diff_json(*args: str, stdin: str | None = None) -> tuple[int, dict]:
    proc = run_diff(*args, "--json", stdin=stdin)
    assert proc.stderr == ""
    return proc.returncode, json.loads(proc.stdout)


def test_identical_configurations_change_nothing(old_config: Path) -> None:
    proc = run_diff(str(old_config), str(old_config), JOURNEY)
    assert proc.returncode == 0
    assert "10 event(s) compared, 0 changed" in proc.stdout
    code, report = diff_json(str(old_config), str(old_config), JOURNEY)
    assert code == 0
    assert report["results"] == []
    assert report["summary"] == {"events": 10, "changed": 0, "malformed": 0, "byChange": {}}


def test_mapping_change_shows_body_pointers(tmp_path: Path, old_config: Path) -> None:
    def change(data: dict) -> None:
        mapping = subscription(data, "Contacts by email")["mapping"]
        mapping["attributes"] = {
            "first_name": {"@path": "$.traits.first_name"},
            "plan": {"@path": "$.traits.plan"},
        }

    new = new_config(tmp_path, change)
    code, report = diff_json(str(old_config), str(new), JOURNEY)
    assert code == 1
    (result,) = report["results"]
    assert (result["line"], result["id"]) == (2, "02-identify")
    (only,) = result["changes"]
    assert only["subscription"] == "Contacts by email" and only["change"] == "request-changed"
    assert only["changes"] == [
        {"op": "removed", "path": "/body/attributes/last_name", "old": "Lovelace"},
        {"op": "added", "path": "/body/attributes/plan", "new": "gold"},
    ]
    proc = run_diff(str(old_config), str(new), JOURNEY)
    assert proc.returncode == 1
    assert "02-identify (line 2)" in proc.stdout
    assert "/body/attributes/plan" in proc.stdout and '"gold"' in proc.stdout
    assert "10 event(s) compared, 1 changed (request-changed: 1)" in proc.stdout


def test_the_manufacturer_fix_in_review(tmp_path: Path, old_config: Path) -> None:
    shape = {
        "productID": {"@path": "$.product_id"},
        "sku": {"@path": "$.sku"},
        "category": {"@path": "$.category"},
        "name": {"@path": "$.name"},
        "manufacturerName": {"@path": "$.brand"},
        "itemPrice": {"@path": "$.price"},
        "qty": {"@path": "$.quantity"},
        "url": {"@path": "$.url"},
        "imageUrl": {"@path": "$.image_url"},
        "properties": {"variant": {"@path": "$.variant"}, "coupon": {"@path": "$.coupon"}},
    }

    def change(data: dict) -> None:
        subscription(data, "Orders")["mapping"] = {"items": {"@arrayPath": ["$.properties.products", shape]}}

    code, report = diff_json(str(old_config), str(new_config(tmp_path, change)), JOURNEY)
    assert code == 1
    changes = [
        item for result in report["results"] for change in result["changes"] for item in change["changes"]
    ]
    assert {item["path"] for item in changes} == {
        "/body/items/0/manufacturerName",
        "/body/items/1/manufacturerName",
    }
    assert all(item["op"] == "added" and item["new"] == "Acme" for item in changes)


def test_api_key_changes_are_redacted_unless_asked(tmp_path: Path, old_config: Path) -> None:
    new = new_config(tmp_path, lambda data: data["settings"].update(apiKey="new-secret-key"))
    code, report = diff_json(str(old_config), str(new), JOURNEY)
    assert code == 1
    first = report["results"][0]["changes"][0]
    assert first["changes"] == [{"op": "changed", "path": "/headers/x-api-key", "old": "***", "new": "***"}]
    proc = run_diff(str(old_config), str(new), JOURNEY)
    assert "new-secret-key" not in proc.stdout and "demo-api-key" not in proc.stdout
    code, report = diff_json(str(old_config), str(new), JOURNEY, "--show-secrets")
    assert report["results"][0]["changes"][0]["changes"] == [
        {"op": "changed", "path": "/headers/x-api-key", "old": "demo-api-key", "new": "new-secret-key"}
    ]


def test_endpoint_change_is_a_url_change(tmp_path: Path, old_config: Path) -> None:
    new = new_config(tmp_path, lambda data: data["settings"].update(endpoint="https://ingest.example.com/"))
    code, report = diff_json(str(old_config), str(new), JOURNEY)
    assert code == 1
    first = report["results"][0]["changes"][0]["changes"]
    assert first == [
        {
            "op": "changed",
            "path": "/url",
            "old": "https://integrations-ingest-svc.usw1.cordial.com/api/segment/createContactactivity",
            "new": "https://ingest.example.com//api/segment/createContactactivity",
        }
    ]


def test_requests_added_removed_and_errors_appearing(tmp_path: Path, old_config: Path) -> None:
    def change(data: dict) -> None:
        subscription(data, "Lists")["enabled"] = False
        subscription(data, "Cart adds")["mapping"] = {"qty": {"@path": "$.properties.missing"}}
        data["subscriptions"].append(
            {"name": "Removals", "action": "removeContactFromList", "subscribe": 'type = "group"'}
        )

    code, report = diff_json(str(old_config), str(new_config(tmp_path, change)), JOURNEY)
    assert code == 1
    by_event = {result["id"]: result["changes"] for result in report["results"]}
    group = {(item["subscription"], item["change"]) for item in by_event["07-group"]}
    assert group == {("Lists", "request-removed"), ("Removals", "request-added")}
    added = next(item for item in by_event["07-group"] if item["change"] == "request-added")
    assert added["old"] is None
    assert added["new"]["request"]["url"].endswith("/api/segment/removeContactFromList")
    assert added["new"]["request"]["headers"]["x-api-key"] == "***"
    (cart,) = by_event["03-product-added"]
    assert cart["change"] == "error-appeared"
    assert cart["new"]["error"]["message"] == "The root value is missing the required field 'qty'."
    assert report["summary"]["byChange"] == {"error-appeared": 2, "request-added": 2, "request-removed": 2}


def test_renamed_subscription_is_paired_by_action(tmp_path: Path, old_config: Path) -> None:
    def change(data: dict) -> None:
        subscription(data, "Merges")["name"] = "Identity merges"

    code, report = diff_json(str(old_config), str(new_config(tmp_path, change)), JOURNEY)
    assert code == 0
    assert report["results"] == []


def test_malformed_lines_are_reported_and_skipped(tmp_path: Path, old_config: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"type": "identify", "userId": "u1"\n[]\n\n{"id": "ok", "event": {"type": "alias", "userId": "a"}}\n'
    )
    code, report = diff_json(str(old_config), str(old_config), str(events))
    assert code == 0
    assert [result["line"] for result in report["results"]] == [1, 2]
    assert report["results"][0]["error"].startswith("line 1, column ")
    assert "invalid JSON: Expecting ',' delimiter" in report["results"][0]["error"]
    assert report["results"][1]["error"] == "line 2: expected an event object, got array"
    assert report["summary"]["events"] == 1 and report["summary"]["malformed"] == 2
    proc = run_diff(str(old_config), str(old_config), str(events))
    assert proc.returncode == 0
    assert (
        "skipped line 1, column" in proc.stdout and "skipped line 2: expected an event object" in proc.stdout
    )
    assert "1 event(s) compared, 0 changed, 2 malformed line(s) skipped" in proc.stdout


def test_events_from_stdin(tmp_path: Path, old_config: Path) -> None:
    new = new_config(tmp_path, lambda data: subscription(data, "Merges").update(enabled=False))
    stdin = json.dumps({"type": "alias", "userId": "u2", "previousId": "u1"}) + "\n"
    code, report = diff_json(str(old_config), str(new), "-", stdin=stdin)
    assert code == 1
    assert report["results"][0]["id"] == "line 1"
    assert report["results"][0]["changes"][0]["change"] == "request-removed"


def test_configuration_without_api_key_takes_it_from_the_option(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["settings"]["apiKey"]
    path = tmp_path / "keyless.json"
    path.write_text(json.dumps(data))
    proc = run_diff(str(path), str(path), JOURNEY)
    assert proc.returncode == 2 and "apiKey is required" in proc.stderr
    assert run_diff(str(path), str(path), JOURNEY, "--api-key", "k").returncode == 0


def test_usage_errors_exit_2(tmp_path: Path, old_config: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"settings": {\n  "apiKey": "k"\n  "endpoint": "x"}}')
    proc = run_diff(str(old_config), str(broken), JOURNEY)
    assert proc.returncode == 2
    assert "invalid JSON at line 3, column 3" in proc.stderr
    proc = run_diff(str(old_config), "missing.json", JOURNEY)
    assert proc.returncode == 2 and "missing.json: file not found" in proc.stderr
    proc = run_diff(str(old_config), str(old_config), "missing.jsonl")
    assert proc.returncode == 2 and "missing.jsonl: file not found" in proc.stderr
    unknown = new_config(tmp_path, lambda data: data["subscriptions"].append({"action": "nope"}))
    proc = run_diff(str(old_config), str(unknown), JOURNEY)
    assert proc.returncode == 2 and "unknown action 'nope'" in proc.stderr


def test_help_shows_an_example() -> None:
    proc = run_diff("--help")
    assert proc.returncode == 0
    assert "Example:" in proc.stdout and "cordial-harness diff" in proc.stdout
