"""``cordial-harness lint``: check a destination configuration before it ships."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any, TextIO

import click
from rich import box
from rich.markup import escape
from rich.table import Table

import cordial_harness
from cordial_harness.console import console, json_option, print_json
from cordial_harness.files import open_text, read_json_file
from cordial_harness.jsonl import read_lines
from cordial_harness.lint import Finding, LintReport, NotAnEvent, event_from_line, lint_configuration
from cordial_harness.lint.findings import finding

BUNDLED_SAMPLES = Path(cordial_harness.__file__).resolve().parents[1] / "examples" / "journey.jsonl"


def _sample_events(stream: TextIO, source: str, problems: list[Finding]) -> Iterator[tuple[str, Any]]:
    """The events of a JSON-lines file; unreadable lines become findings and are skipped."""
    for line in read_lines(stream):
        if line.error is not None:
            problems.append(finding("invalid-sample-event", f"{source}: {line.error}"))
            continue
        try:
            yield event_from_line(line.value, line.number)
        except NotAnEvent as exc:
            problems.append(finding("invalid-sample-event", f"{source}: {exc}"))


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _print_table(path: str, report: LintReport, samples: str | None) -> None:
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 120)
    for note in report.notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    for (_, name, action), group in groupby(
        report.findings, key=lambda f: (f.index, f.subscription, f.action)
    ):
        title = "Settings and file" if name is None else name
        if action and action != name:
            title += f" ({action})"
        table = Table(
            title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_lines=True
        )
        table.add_column("level", no_wrap=True)
        table.add_column("rule", no_wrap=True)
        table.add_column("where and what", overflow="fold")
        for item in group:
            colour = "red" if item.level == "error" else "yellow"
            where = escape(item.pointer or "(whole file)")
            table.add_row(
                f"[{colour}]{item.level}[/{colour}]",
                item.rule,
                f"[cyan]{where}[/cyan]\n{escape(item.message)}",
            )
        out.print(table)
    tested = f"; {report.sample_events} sample events from {samples}" if samples is not None else ""
    if not report.findings:
        out.print(f"[green]{escape(path)}: no problems found[/green]{escape(tested)}")
    else:
        out.print(escape(f"{path}: {report.errors} error(s), {report.warnings} warning(s){tested}"))


@click.command("lint")
@click.argument("mappings", type=click.Path(dir_okay=False))
@click.option(
    "--events",
    "events_path",
    type=click.Path(dir_okay=False),
    help="Sample events (JSON lines) for the event-based rules; default: the bundled examples/journey.jsonl.",
)
@click.option("--strict-warnings", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@json_option
def lint(mappings: str, events_path: str | None, strict_warnings: bool, as_json: bool) -> None:
    """Check a destination configuration (settings, subscriptions, mappings) before it ships.

    Errors: invalid mapping directives, subscriptions that cannot parse,
    unknown actions, required fields no mapping can fill, literal values
    validation always rejects, an endpoint with a trailing slash.
    Warnings: subscriptions that match none of the sample events, mapped
    keys validation drops (such as production's own
    'manufacturerNname' in upsertOrder's default items), required fields
    missing on every sample event a subscription matches.

    Each finding names the subscription, the rule and a JSON pointer into the
    file.  Exit status: 0 clean (warnings allowed), 1 errors (or warnings
    with --strict-warnings), 2 unusable input.

    \b
    Example:
      cordial-harness lint examples/mappings.json
      cordial-harness lint mappings.json --events journey.jsonl --json
    """
    data = read_json_file(mappings)
    samples_path = Path(events_path) if events_path is not None else BUNDLED_SAMPLES
    if events_path is None and not BUNDLED_SAMPLES.is_file():
        report = lint_configuration(data)
        note = "the bundled examples/journey.jsonl is not installed, so the sample-event rules were skipped"
        report = LintReport(report.findings, notes=[f"{note}; pass --events SAMPLE.jsonl"])
        source = None
    else:
        source = _shown(samples_path)
        problems: list[Finding] = []
        with open_text(samples_path) as stream:
            report = lint_configuration(data, _sample_events(stream, source, problems), source)
        report = report.with_findings(problems)
    if as_json:
        print_json(
            {
                "file": mappings,
                "samples": None if source is None else {"file": source, "events": report.sample_events},
                "errors": report.errors,
                "warnings": report.warnings,
                "findings": [item.to_json() for item in report.findings],
                "notes": report.notes,
            }
        )
    else:
        _print_table(mappings, report, source)
    if report.failed(strict_warnings=strict_warnings):
        raise SystemExit(1)
