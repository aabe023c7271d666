"""The end of a replay as a user reads it: a JSON report (``--report``, ``--json``) and a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from cordial_harness.replay.engine import ReplayResult

_COLUMNS = (
    ("events", "events"),
    ("sent", "sent"),
    ("ok", "2xx"),
    ("retried", "retried"),
    ("rejected", "rejected"),
    ("failed", "failed"),
)


def build_report(
    result: ReplayResult, *, events_path: Path, endpoint: str, dead_letter_path: Path, checkpoint_path: Path
) -> dict[str, Any]:
    """Everything the run did, for machines: totals over the whole file and this run's speed."""
    stats = result.stats
    actions = [item.to_json() for item in stats.targets]
    return {
        "file": str(events_path),
        "endpoint": endpoint,
        "complete": result.complete,
        "stopped": result.stop_reason,
        "error": result.stop_error.to_json() if result.stop_error is not None else None,
        "lines": stats.lines,
        "events": stats.events,
        "unmatched": stats.unmatched,
        "malformed": stats.malformed,
        "requests": {counter: stats.total(counter) for counter, _ in _COLUMNS},
        "deadLettered": stats.dead_lettered,
        "deadLetter": str(dead_letter_path),
        "checkpoint": str(checkpoint_path),
        "thisRun": {
            "lines": result.lines_this_run,
            "elapsedSeconds": round(result.elapsed, 3),
            "eventsPerSecond": round(result.events_per_second, 1),
            "resumedAtLine": result.resumed_at_line,
        },
        "actions": actions,
        "notes": list(result.notes),
    }


def summary_table(report: dict[str, Any]) -> Table:
    """One row per subscription, and a total."""
    actions = report["actions"]
    show_action = any(item["name"] != item["action"] for item in actions)
    table = Table(title="replay summary", title_justify="left")
    table.add_column("subscription")
    if show_action:
        table.add_column("action")
    for _, header in _COLUMNS:
        table.add_column(header, justify="right")
    for item in actions:
        head = [item["name"], item["action"]] if show_action else [item["name"]]
        table.add_row(*head, *(str(item[key]) for key, _ in _COLUMNS))
    totals = report["requests"]
    head = ["total", ""] if show_action else ["total"]
    table.add_row(*head, *(str(totals[key]) for key, _ in _COLUMNS), style="bold", end_section=True)
    return table


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The sentences under the table: lines, speed, dead letters, and how the run ended."""
    run = report["thisRun"]
    lines = [
        f"{report['lines']} lines: {report['events']} events ({report['unmatched']} matched no subscription),"
        f" {report['malformed']} malformed",
        f"this run: {run['lines']} lines in {run['elapsedSeconds']:.2f} s,"
        f" {run['eventsPerSecond']:.0f} events/s",
    ]
    if report["deadLettered"]:
        lines.append(f"{report['deadLettered']} dead letters in {report['deadLetter']}")
    lines.extend(report["notes"])
    if report["stopped"] == "interrupted":
        lines.append(f"interrupted: progress saved in {report['checkpoint']}; run again with --resume")
    return lines
