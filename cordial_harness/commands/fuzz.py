"""``cordial-harness fuzz``: generated events through the destination into a mock, then Schemathesis.

Each chosen action gets ``--examples`` generated cases (event, mapping,
settings); each request the reference builds is checked against the ingest
contract and sent to a mock (one in this process by default), whose answer
is checked too.  Then Schemathesis runs against the same mock with both
contracts.  Failing cases go to a JSON-lines file that ``cordial-harness map``
replays; any failure makes the exit status 1.
"""

from __future__ import annotations

import secrets
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from contracts.strategies import ACTIONS
from cordial_harness.console import console, json_option, print_json
from cordial_harness.files import UsageFault
from cordial_harness.jsonl import write_line

#: The key Schemathesis (and an in-process mock) uses when ``--api-key`` is not given.
FUZZ_API_KEY = "cordial-harness-fuzz"
CONTRACTS = ("ingest", "rest-v2")
_REASONS_SHOWN = 6
_REASON_WIDTH = 72


def _checked_base_url(base_url: str | None) -> str | None:
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageFault(f"--base-url {base_url!r} must be an http:// or https:// URL with a host")
    return base_url.rstrip("/")


def _checked_output(path: str) -> Path:
    output = Path(path)
    if output.is_dir():
        raise UsageFault(f"--failures {path}: is a directory")
    if not output.parent.is_dir():
        raise UsageFault(f"--failures {path}: directory {output.parent} does not exist")
    return output


def _printable(text: str) -> str:
    """Text a terminal can take: a lone surrogate (events carry them) is shown as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _progress(err: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _action_table(tally: Any) -> Table:
    table = Table(title=tally.action, title_justify="left", show_header=False, min_width=40)
    table.add_column("what", overflow="ellipsis", no_wrap=True, max_width=_REASON_WIDTH)
    table.add_column("count", justify="right")
    table.add_row("events", str(tally.events))
    table.add_row("requests sent", str(tally.sent))
    table.add_row("contract-valid", str(tally.contract_valid))
    table.add_row("rejected", str(tally.rejected_total))
    reasons = tally.rejected.most_common()
    for reason, count in reasons[:_REASONS_SHOWN]:
        table.add_row(Text("  " + _printable(reason), style="dim"), str(count))
    if len(reasons) > _REASONS_SHOWN:
        hidden = sum(count for _, count in reasons[_REASONS_SHOWN:])
        table.add_row(f"  [dim]{len(reasons) - _REASONS_SHOWN} other reasons[/dim]", str(hidden))
    style = "red" if tally.failed_cases else "green"
    table.add_row(f"[{style}]failures[/{style}]", f"[{style}]{tally.failed_cases}[/{style}]")
    for kind, count in tally.failures.most_common():
        table.add_row(f"  [red]{kind}[/red]", str(count))
    return table


def _api_table(report: Any) -> Table:
    table = Table(title=f"Schemathesis: {report.contract}", title_justify="left")
    table.add_column("operation", overflow="fold")
    table.add_column("requests", justify="right")
    table.add_column("failures", justify="right")
    for tally in report.operations.values():
        failures = f"[red]{tally.failures}[/red]" if tally.failures else "0"
        table.add_row(Text(_printable(tally.label)), str(tally.cases), failures)
    return table


def _print_api_failures(out: Console, report: Any) -> None:
    for failure in report.failures:
        heading = f"{report.contract} {failure.operation}: {failure.title}"
        lines = [f"{heading} ({failure.check}, {failure.occurrences}x)", f"  {failure.message}"]
        if failure.status is not None:
            lines.append(f"  mock answered {failure.status}: {failure.answer}")
        lines.append(f"  {failure.reproduction}")
        for line in lines:
            out.print(Text(_printable(line)), highlight=False)
    for error in report.errors:
        out.print(Text(_printable(f"{report.contract} error: {error}"), style="red"), highlight=False)


def _write_failures(path: Path, report: Any, keep_api_key: bool) -> None:
    try:
        with path.open("w", encoding="utf-8") as stream:
            for failure in report.failures:
                write_line(stream, failure.to_line(keep_api_key=keep_api_key))
    except OSError as exc:
        raise UsageFault(f"--failures {path}: cannot write: {exc}") from None


def _schemathesis_run(contract: str, **options: Any) -> Any:
    """A Schemathesis run; an error inside Schemathesis is reported as the run's error, not raised."""
    from contracts.fuzz import ApiReport, run_schemathesis

    try:
        return run_schemathesis(contract, **options)
    except Exception as exc:  # Schemathesis is a large dependency: its crash is a finding, not a traceback
        return ApiReport(contract, errors=[f"Schemathesis failed: {type(exc).__name__}: {exc}"])


def _print_report(
    out: Console, report: Any, api_reports: list[Any], written: str | None, *, replay_needs_key: bool
) -> None:
    for tally in report.tallies.values():
        out.print(_action_table(tally))
    for api in api_reports:
        out.print(_api_table(api))
        _print_api_failures(out, api)
    if written:
        out.print(
            f"[red]{len(report.failures)} failing case(s)[/red] written to {written}; "
            f"replay with: cordial-harness map {written}" + (" --api-key KEY" if replay_needs_key else ""),
            highlight=False,
        )
    ok = report.ok and all(api.ok for api in api_reports)
    verdict = "[green]no failures[/green]" if ok else "[red]failures found[/red]"
    out.print(f"{verdict} (seed {report.seed})", highlight=False)


@click.command("fuzz")
@click.option(
    "-n",
    "--examples",
    type=click.IntRange(1, 1_000_000),
    default=100,
    show_default=True,
    help="Generated events per action.",
)
@click.option(
    "--action",
    "actions",
    multiple=True,
    type=click.Choice(ACTIONS),
    help="Fuzz only this action (repeatable; default: every action).",
)
@click.option("--seed", type=click.IntRange(0), help="Seed that reproduces a run (default: a random one).")
@click.option("--base-url", help="Fuzz a running mock at this URL instead of one in this process.")
@click.option(
    "--api-key",
    help="API key the mock accepts (default: each case's generated key; Schemathesis uses "
    f"{FUZZ_API_KEY}). Not written to the failures file.",
)
@click.option(
    "-o",
    "--failures",
    "failures_path",
    default="fuzz-failures.jsonl",
    show_default=True,
    help="JSON-lines file for failing cases (written only when some fail); `cordial-harness map` replays it.",
)
@click.option(
    "--schemathesis/--no-schemathesis",
    "with_schemathesis",
    default=True,
    show_default=True,
    help="Also run Schemathesis with the ingest and REST v2 contracts.",
)
@click.option(
    "--api-examples",
    type=click.IntRange(1, 100_000),
    default=20,
    show_default=True,
    help="Schemathesis examples per operation.",
)
@json_option
def fuzz(
    examples: int,
    actions: tuple[str, ...],
    seed: int | None,
    base_url: str | None,
    api_key: str | None,
    failures_path: str,
    with_schemathesis: bool,
    api_examples: int,
    as_json: bool,
) -> None:
    """Fuzz the destination and the mock against the contracts.

    Generated events run through the chosen actions of the reference
    destination; every request it builds must fit the ingest contract, the
    mock must accept it (2xx) and its answer must fit the contract.  A table
    per action shows events, requests sent, contract-valid requests, events
    rejected (by reason) and failures.  Schemathesis then runs against the mock
    with both contracts.  Exits 1 on any failure.

    \b
    Examples:
      cordial-harness fuzz --examples 500 --seed 7
      cordial-harness fuzz --action upsertOrder --no-schemathesis
      cordial-harness map --api-key KEY fuzz-failures.jsonl   # replay failures
    """
    from contracts.fuzz import HttpTransport, WsgiTransport, run_fuzz

    target_url = _checked_base_url(base_url)
    if api_key is not None and not api_key:
        raise UsageFault("--api-key must not be empty")
    output = _checked_output(failures_path)
    chosen = list(actions) or list(ACTIONS)
    run_seed = seed if seed is not None else secrets.randbelow(1 << 31)
    out = console()
    err = console(stderr=True)
    app = None
    if target_url is None:
        from mock_cordial import create_app

        app = create_app()
    if not as_json:
        target = target_url or "an in-process mock"
        out.print(f"Fuzzing {', '.join(chosen)} against {target} (seed {run_seed})", highlight=False)

    with ExitStack() as stack:
        transport = stack.enter_context(
            closing(HttpTransport(target_url) if target_url else WsgiTransport(app))
        )
        progress = stack.enter_context(_progress(err))
        events_task = progress.add_task("events", total=examples * len(chosen))
        report = run_fuzz(
            chosen,
            examples,
            run_seed,
            transport,
            api_key=api_key,
            on_case=lambda result: progress.advance(events_task),
        )
        api_reports = []
        if with_schemathesis:
            for contract in CONTRACTS:
                task = progress.add_task(f"Schemathesis {contract}", total=None)
                api_reports.append(
                    _schemathesis_run(
                        contract,
                        api_key=api_key or FUZZ_API_KEY,
                        max_examples=api_examples,
                        app=app,
                        base_url=target_url,
                        seed=run_seed,
                        on_scenario=lambda label, task=task: progress.update(task, description=label),
                    )
                )
                progress.remove_task(task)

    written = None
    if report.failures:
        _write_failures(output, report, keep_api_key=api_key is None)
        written = str(output)
    ok = report.ok and all(api.ok for api in api_reports)
    if as_json:
        print_json(
            {
                "ok": ok,
                "seed": run_seed,
                "events": report.to_json(),
                "schemathesis": [api.to_json() for api in api_reports],
                "failuresFile": written,
            }
        )
    else:
        _print_report(out, report, api_reports, written, replay_needs_key=api_key is not None)
    if not ok:
        raise SystemExit(1)
