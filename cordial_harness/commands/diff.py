"""``cordial-harness diff``: what a configuration change does to the requests, event by event."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cordial_harness.console import console, json_option
from cordial_harness.files import UsageFault, open_text, read_json_file
from cordial_harness.jsonl import read_lines
from cordial_harness.lint import NotAnEvent, event_from_line
from cordial_harness.request_diff import ABSENT, EventDiff, OutcomeChange, diff_event
from reference import js_json
from reference.configuration import CompiledConfiguration, Configuration, InvalidConfigurationError

_CELL = 60


def _load(path: str, api_key: str | None) -> CompiledConfiguration:
    """A configuration file compiled; ``api_key`` only fills in a file that has none."""
    data = read_json_file(path)
    settings = data.get("settings") if isinstance(data, dict) else None
    override = (
        {"apiKey": api_key} if api_key and not (isinstance(settings, dict) and "apiKey" in settings) else None
    )
    try:
        return CompiledConfiguration(Configuration.from_json(data, settings_override=override))
    except InvalidConfigurationError as exc:
        raise UsageFault(f"{path}: {exc.message}") from None


def _cell(value: Any) -> str:
    """A JSON value for a table cell (strings quoted, so "1" and 1 differ), cut to fit."""
    if value is ABSENT:
        return ""
    text = js_json.dumps(value)
    return escape(text if len(text) <= _CELL else text[: _CELL - 1] + "…")


def _side_text(side: dict[str, Any] | None) -> str:
    if side is None:
        return "(not subscribed)"
    if "error" in side:
        return f"{side['error']['type']}: {side['error']['message']}"
    request = side["request"]
    return f"{request['method']} {request['url']}"


def _rows(change: OutcomeChange) -> Iterator[tuple[str, str, str, str]]:
    """(change, path, old, new) rows for one subscription's difference."""
    if change.kind == "request-changed":
        for item in change.changes:
            yield item.op, item.path, _cell(item.old), _cell(item.new)
    elif change.kind == "request-added":
        assert change.new is not None
        yield "request added", "", "", escape(_side_text(change.new))
        yield "", "/body", "", _cell(change.new["request"].get("body", ABSENT))
    elif change.kind == "request-removed":
        assert change.old is not None
        yield "request removed", "", escape(_side_text(change.old)), ""
        yield "", "/body", _cell(change.old["request"].get("body", ABSENT)), ""
    else:
        yield (
            change.kind.replace("-", " "),
            "",
            escape(_side_text(change.old)),
            escape(_side_text(change.new)),
        )


def _print_event(out: Console, number: int, label: str, result: EventDiff) -> None:
    heading = label if label == f"line {number}" else f"{label} (line {number})"
    table = Table(title=escape(heading), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
    rows = [(change, _rows(change)) for change in result.changes]
    longest_path = max((len(item.path) for change in result.changes for item in change.changes), default=5)
    table.add_column("subscription", overflow="fold")
    table.add_column("change", no_wrap=True)
    table.add_column("path", overflow="fold", min_width=min(longest_path, 48))
    table.add_column("old", overflow="fold")
    table.add_column("new", overflow="fold")
    for change, change_rows in rows:
        name = escape(
            change.subscription
            if change.subscription == change.action
            else f"{change.subscription} ({change.action})"
        )
        for index, (kind, path, old, new) in enumerate(change_rows):
            table.add_row(name if index == 0 else "", kind, escape(path), old, new)
    if result.failure is not None:
        old, new = result.failure
        table.add_row("(whole event)", "evaluation failed", "", escape(old or ""), escape(new or ""))
    out.print(table)


class _JsonWriter:
    """Writes one JSON document while the events stream by: results first, summary last."""

    def __init__(self, head: dict[str, Any]) -> None:
        self.first = True
        sys.stdout.write(js_json.dumps(head)[:-1] + ',"results":[')

    def result(self, value: dict[str, Any]) -> None:
        sys.stdout.write(("" if self.first else ",") + js_json.dumps(value))
        self.first = False

    def close(self, summary: dict[str, Any]) -> None:
        sys.stdout.write('],"summary":' + js_json.dumps(summary) + "}\n")
        sys.stdout.flush()


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.argument("events", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--api-key", envvar="CORDIAL_API_KEY", help="API key for a configuration file that has none.")
@click.option("--show-secrets", is_flag=True, help="Show x-api-key values instead of ***.")
@json_option
def diff(old: str, new: str, events: str, api_key: str | None, show_secrets: bool, as_json: bool) -> None:
    """Run the same events through two configurations and show what changes in the requests.

    For each event and subscription (paired by name, then by action): a
    request added or removed, an error that appears, disappears or changes,
    and the URL, header and body differences as JSON pointers (added,
    removed, changed with old and new values, array items by index, and
    reordered where an object's keys change order, which matters for
    userIdentities).
    EVENTS is JSON lines ({"id", "event"} or bare events; - for stdin), read
    as a stream; malformed lines are reported and skipped.

    Exit status, as diff(1): 0 nothing changes, 1 something does, 2 unusable input.

    \b
    Example:
      cordial-harness diff mappings.json mappings.new.json examples/journey.jsonl
      cordial-harness diff old.json new.json events.jsonl --json
    """
    old_config, new_config = _load(old, api_key), _load(new, api_key)
    counts: Counter[str] = Counter()
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 120)
    writer = _JsonWriter({"old": old, "new": new, "events": events}) if as_json else None
    with open_text(events) as stream:
        for line in read_lines(stream):
            try:
                if line.error is not None:
                    raise NotAnEvent(line.error)
                label, event = event_from_line(line.value, line.number)
            except NotAnEvent as exc:
                counts["malformed"] += 1
                if writer is not None:
                    writer.result({"line": line.number, "error": str(exc)})
                else:
                    out.print(f"[yellow]skipped[/yellow] {escape(str(exc))}")
                continue
            counts["events"] += 1
            result = diff_event(old_config, new_config, event, show_secrets=show_secrets)
            if result is None:
                continue
            counts["changed"] += 1
            counts.update(change.kind for change in result.changes)
            if writer is not None:
                writer.result({"line": line.number, "id": label, **result.to_json()})
            else:
                _print_event(out, line.number, label, result)
    summary = {
        "events": counts["events"],
        "changed": counts["changed"],
        "malformed": counts["malformed"],
        "byChange": {
            kind: counts[kind] for kind in sorted(counts) if kind not in ("events", "changed", "malformed")
        },
    }
    if writer is not None:
        writer.close(summary)
    else:
        by_change = ", ".join(f"{kind}: {count}" for kind, count in summary["byChange"].items())
        out.print(
            f"{summary['events']} event(s) compared, {summary['changed']} changed"
            + (f" ({by_change})" if by_change else "")
            + (f", {summary['malformed']} malformed line(s) skipped" if summary["malformed"] else "")
        )
    if counts["changed"]:
        raise SystemExit(1)
