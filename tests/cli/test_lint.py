"""`cordial-harness lint` as a user runs it: a configuration file in, findings and an exit status out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETTINGS = {
    "apiKey": "k",
    "endpoint": "https://integrations-ingest-svc.usw1.cordial.com",
    "segmentIdKey": "sid",
}


def run_lint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cordial_harness", "lint", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def write_config(tmp_path: Path, subscriptions: list | None = None, settings: dict | None = None) -> Path:
    data: dict = {"settings": SETTINGS if settings is None else settings}
    if subscriptions is not None:
        data["subscriptions"] = subscriptions
    path = tmp_path / "mappings.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def lint_json(*args: str) -> tuple[int, dict]:
    proc = run_lint(*args, "--json")
    return proc.returncode, json.loads(proc.stdout)


def rules(report: dict) -> list[tuple[str, str, str]]:
    return [(item["level"], item["rule"], item["pointer"]) for item in report["findings"]]


def test_the_bundled_example_passes_with_productions_manufacturer_typo_as_a_warning() -> None:
    proc = run_lint("examples/mappings.json")
    assert proc.returncode == 0, proc.stderr
    assert "manufacturerNname" in proc.stdout
    assert "Did you mean 'manufacturerName'?" in proc.stdout
    assert "0 error(s), 1 warning(s); 10 sample events from examples/journey.jsonl" in proc.stdout

    code, report = lint_json("examples/mappings.json")
    assert code == 0
    assert report["errors"] == 0 and report["warnings"] == 1
    assert report["samples"] == {"file": "examples/journey.jsonl", "events": 10}
    (only,) = report["findings"]
    assert (only["rule"], only["subscription"], only["action"]) == ("dropped-key", "Orders", "upsertOrder")
    assert only["pointer"] == "/subscriptions/5"
    assert "/items/@arrayPath/1/manufacturerNname" in only["message"]


def test_strict_warnings_fails_on_warnings() -> None:
    assert run_lint("examples/mappings.json", "--strict-warnings").returncode == 1


def test_trailing_slash_endpoint_is_an_error(tmp_path: Path) -> None:
    path = write_config(tmp_path, [], settings={**SETTINGS, "endpoint": "https://ingest.example.com/"})
    proc = run_lint(str(path))
    assert proc.returncode == 1
    assert "endpoint-trailing-slash" in proc.stdout
    assert "https://ingest.example.com//api/segment/" in proc.stdout
    code, report = lint_json(str(path))
    assert code == 1
    assert ("error", "endpoint-trailing-slash", "/settings/endpoint") in rules(report)


def test_bad_directive_is_reported_with_its_pointer_and_productions_message(tmp_path: Path) -> None:
    subscriptions = [
        {
            "name": "Orders",
            "action": "upsertOrder",
            "mapping": {
                "orderID": {"@pth": "$.properties.order_id"},
                "items": {"@arrayPath": ["$.properties.products", {"productID": {"@path": 5}}]},
            },
        }
    ]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)))
    assert code == 1
    invalid = {
        item["pointer"]: item["message"] for item in report["findings"] if item["rule"] == "invalid-mapping"
    }
    assert invalid == {
        "/subscriptions/0/mapping/orderID": "/orderID has an invalid directive: @pth.",
        "/subscriptions/0/mapping/items/@arrayPath/1/productID/@path": (
            "/items/@arrayPath/1/productID/@path should be a string or a mapping directive "
            "but it is a number."
        ),
    }


def test_pointers_escape_keys_that_hold_a_slash(tmp_path: Path) -> None:
    subscriptions = [{"action": "upsertContact", "mapping": {"userIdentities": {"a/b~c": {"@nope": 1}}}}]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)))
    assert code == 1
    assert ("error", "invalid-mapping", "/subscriptions/0/mapping/userIdentities/a~1b~0c") in rules(report)


def test_unparseable_subscription_is_an_error(tmp_path: Path) -> None:
    subscriptions = [{"name": "Acts", "action": "createContactactivity", "subscribe": 'type = "track" and ('}]
    proc = run_lint(str(write_config(tmp_path, subscriptions)))
    assert proc.returncode == 1
    assert "subscription-syntax" in proc.stdout and "/subscriptions/0/subscribe" in proc.stdout
    assert "Acts (createContactactivity)" in proc.stdout


def test_never_matching_subscription_is_a_warning(tmp_path: Path) -> None:
    subscriptions = [{"name": "Screens", "action": "upsertContact", "subscribe": 'type = "screen"'}]
    path = write_config(tmp_path, subscriptions)
    code, report = lint_json(str(path))
    assert code == 0
    assert rules(report) == [("warning", "subscription-never-matches", "/subscriptions/0/subscribe")]
    assert "none of the 10 sample events" in report["findings"][0]["message"]
    assert run_lint(str(path), "--strict-warnings").returncode == 1


def test_custom_sample_events_and_their_malformed_lines(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        json.dumps({"type": "screen", "userId": "u1", "name": "Home"})
        + "\n{not json\n"
        + json.dumps({"id": "g1", "event": {"type": "group", "groupId": "", "userId": "u1"}})
        + "\n[1]\n"
    )
    subscriptions = [
        {"name": "Screens", "action": "upsertContact", "subscribe": 'type = "screen"'},
        {"name": "Lists", "action": "addContactToList"},
    ]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)), "--events", str(events))
    assert code == 0
    assert report["samples"]["events"] == 2
    bad_lines = [item["message"] for item in report["findings"] if item["rule"] == "invalid-sample-event"]
    assert len(bad_lines) == 2
    assert "line 2, column 2: invalid JSON" in bad_lines[0]
    assert "line 4: expected an event object, got array" in bad_lines[1]
    missing = [item for item in report["findings"] if item["rule"] == "required-missing-on-samples"]
    assert [(item["subscription"], item["pointer"]) for item in missing] == [("Lists", "/subscriptions/1")]
    assert "required /groupId is missing on all 1 sample event(s)" in missing[0]["message"]
    assert "g1: The root value is missing the required field 'groupId'." in missing[0]["message"]


def test_required_fields_without_defaults_are_errors(tmp_path: Path) -> None:
    subscriptions = [
        {
            "name": "Cart",
            "action": "addProductToCart",
            "useDefaultMappings": False,
            "mapping": {"productID": {"@path": "$.properties.product_id"}, "sku": "", "qty": 1},
        }
    ]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)))
    assert code == 1
    unfillable = [item for item in report["findings"] if item["rule"] == "required-unfillable"]
    assert sorted(item["pointer"] for item in unfillable) == [
        "/subscriptions/0/mapping",
        "/subscriptions/0/mapping",
        "/subscriptions/0/mapping/sku",
    ]
    assert any(
        "'category'" in item["message"] and "useDefaultMappings is false" in item["message"]
        for item in unfillable
    )
    assert any('literal ""' in item["message"] for item in unfillable)


def test_dropped_keys_in_the_users_mapping(tmp_path: Path) -> None:
    subscriptions = [
        {
            "action": "upsertOrder",
            "mapping": {
                "discountApplication": {
                    "type": "fixed",
                    "amount": {"@path": "$.properties.discount"},
                    "code": "X",
                },
                "totl": {"@path": "$.properties.total"},
            },
        }
    ]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)))
    assert code == 0
    found = {(item["rule"], item["pointer"]) for item in report["findings"]}
    assert ("dropped-key", "/subscriptions/0/mapping/discountApplication/code") in found
    assert ("unknown-field", "/subscriptions/0/mapping/totl") in found
    assert ("dropped-key", "/subscriptions/0") in found  # the default items' manufacturerNname


def test_unknown_action_and_enabled_action_without_subscription(tmp_path: Path) -> None:
    subscriptions = [{"action": "upsertOrdr"}, {"name": "Removal", "action": "removeContactFromList"}]
    code, report = lint_json(str(write_config(tmp_path, subscriptions)))
    assert code == 1
    assert ("error", "unknown-action", "/subscriptions/0/action") in rules(report)
    assert ("error", "enabled-without-subscription", "/subscriptions/1") in rules(report)


def test_missing_file_is_a_usage_error() -> None:
    proc = run_lint("no-such-mappings.json")
    assert proc.returncode == 2
    assert "no-such-mappings.json: file not found" in proc.stderr
    proc = run_lint("examples/mappings.json", "--events", "no-such-events.jsonl")
    assert proc.returncode == 2
    assert "no-such-events.jsonl: file not found" in proc.stderr


def test_invalid_json_is_a_usage_error_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "settings": {"apiKey": "k",}\n}\n')
    proc = run_lint(str(path))
    assert proc.returncode == 2
    assert "invalid JSON at line 2, column 30" in proc.stderr


def test_help_shows_an_example() -> None:
    proc = run_lint("--help")
    assert proc.returncode == 0
    assert "Example:" in proc.stdout and "cordial-harness lint examples/mappings.json" in proc.stdout
