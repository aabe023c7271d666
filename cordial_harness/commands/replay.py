"""``cordial-harness replay``: a large events file through routing, mapping and delivery."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.measure import Measurement

from cordial_harness.console import console, json_option, print_json
from cordial_harness.files import UsageFault, read_json_file
from cordial_harness.replay.checkpoint import configuration_fingerprint
from cordial_harness.replay.engine import (
    BROKEN,
    INTERRUPTED,
    INVALID_CREDENTIALS,
    ReplayEngine,
    ReplayOptions,
    ReplayResult,
    ReplaySetupError,
)
from cordial_harness.replay.plan import DeliveryPlan, PlanError
from cordial_harness.replay.report import build_report, summary_lines, summary_table
from cordial_harness.replay.retry import RetryPolicy
from reference import js_json
from reference.configuration import Configuration, InvalidConfigurationError
from reference.errors import InvalidCredentialsError

EXIT_INTERRUPTED = 130


def load_configuration(
    mapping_file: str | None, *, api_key: str | None, endpoint: str | None, segment_id_key: str | None
) -> tuple[Configuration, str]:
    """The configuration (file plus command-line settings) and its fingerprint for the checkpoint.

    An endpoint must be named explicitly (``--endpoint`` or the file's
    ``settings.endpoint``) so that a replay never reaches production by default.
    """
    data: Any = read_json_file(mapping_file) if mapping_file else {}
    where = mapping_file or "the command line"
    raw_settings = data.get("settings") if isinstance(data, dict) else None
    raw_settings = raw_settings if isinstance(raw_settings, dict) else {}
    if not (api_key or raw_settings.get("apiKey")):
        raise UsageFault(
            "no API key: pass --api-key, set CORDIAL_API_KEY, or put settings.apiKey in --mapping-file"
        )
    if not (endpoint or raw_settings.get("endpoint")):
        raise UsageFault("no endpoint: pass --endpoint URL (or put settings.endpoint in --mapping-file)")
    override = {"apiKey": api_key, "endpoint": endpoint, "segmentIdKey": segment_id_key}
    try:
        configuration = Configuration.from_json(data, settings_override=override)
    except InvalidConfigurationError as exc:
        raise UsageFault(f"{where}: {exc.message}") from None
    subscriptions = data.get("subscriptions") if isinstance(data, dict) else None
    fingerprint = configuration_fingerprint(
        {"subscriptions": subscriptions, "segmentIdKey": configuration.settings.segment_id_key}
    )
    return configuration, fingerprint


async def _run_with_progress(engine: ReplayEngine, show: bool) -> ReplayResult:
    if not show:
        return await engine.run()
    from cordial_harness.replay.progress import show_progress

    progress = asyncio.create_task(show_progress(engine, Console(file=sys.stderr, highlight=False)))
    try:
        return await engine.run()
    finally:
        progress.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await progress


def _write_report(path: Path, report: dict[str, Any]) -> None:
    try:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(js_json.dumps_bytes(report) + b"\n")
        os.replace(temporary, path)
    except OSError as exc:
        raise click.ClickException(f"cannot write the report {path}: {exc.strerror or exc}") from None


@click.command("replay")
@click.argument("events_file", metavar="EVENTS.jsonl")
@click.option("--endpoint", help="Ingest endpoint URL (overrides the --mapping-file's settings.endpoint).")
@click.option(
    "--mapping-file",
    metavar="MAPPINGS.json",
    help='Destination configuration {"settings", "subscriptions"}; default: every action with a default '
    "subscription and default mappings.",
)
@click.option("--api-key", envvar="CORDIAL_API_KEY", help="Cordial API key (or CORDIAL_API_KEY).")
@click.option("--segment-id-key", help="Contact attribute that stores the user id.")
@click.option(
    "-n",
    "--concurrency",
    default=16,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="Requests in flight at most.",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    help="At most this many requests per second (retries included).",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted run from its checkpoint.")
@click.option("--dead-letter", metavar="PATH", help="Dead-letter file [default: EVENTS.jsonl.dead.jsonl].")
@click.option(
    "--checkpoint", metavar="PATH", help="Checkpoint file [default: EVENTS.jsonl.checkpoint.json]."
)
@click.option("--report", metavar="PATH", help="Also write the JSON report to this file.")
@click.option(
    "--max-retries",
    default=5,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Retries of a request after 429, 5xx, a timeout or a lost connection.",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each answer.",
)
@json_option
def replay(
    events_file,
    endpoint,
    mapping_file,
    api_key,
    segment_id_key,
    concurrency,
    rate,
    resume,
    dead_letter,
    checkpoint,
    report,
    max_retries,
    timeout,
    as_json,
) -> None:
    """Deliver a JSON-lines file of events, as production would, to an endpoint.

    Each line is a Segment event, or {"id", "event"}.  Every event is routed
    by the subscriptions, mapped, validated and sent with retries (429, 5xx,
    timeouts and lost connections, honouring Retry-After).  Each request
    carries an Idempotency-Key (the event's messageId and the action).
    Events production rejects, malformed lines and requests that failed for
    good are written to the dead-letter file with the reason.  Progress is
    checkpointed twice a second: after Ctrl-C or a kill, run the same command
    with --resume to deliver the rest, with neither duplicates nor gaps.

    Exit status: 0 when the file is done, 1 when requests failed for good or
    the API key was refused, 2 for usage errors, 130 when interrupted.
    In the summary, 2xx counts every answer below 400 (production's success).

    \b
    Example:
      cordial-harness serve --port 5555 &
      cordial-harness replay examples/journey.jsonl --endpoint http://127.0.0.1:5555 \\
        --mapping-file examples/mappings.json --concurrency 16 --report report.json
    """
    events_path = Path(events_file)
    configuration, fingerprint = load_configuration(
        mapping_file, api_key=api_key, endpoint=endpoint, segment_id_key=segment_id_key
    )
    try:
        plan = DeliveryPlan(configuration)
    except PlanError as exc:
        raise UsageFault(f"{mapping_file or 'the configuration'}: {exc.message}") from None
    options = ReplayOptions(
        events_path=events_path,
        checkpoint_path=Path(checkpoint or f"{events_file}.checkpoint.json"),
        dead_letter_path=Path(dead_letter or f"{events_file}.dead.jsonl"),
        concurrency=concurrency,
        rate=rate,
        retry=RetryPolicy(max_retries=max_retries),
        timeout=timeout,
        resume=resume,
    )
    try:
        engine = ReplayEngine(plan, options, configuration_sha256=fingerprint)
        result = asyncio.run(_run_with_progress(engine, show=sys.stderr.isatty()))
    except KeyboardInterrupt:  # before delivery started: nothing was sent
        click.echo("interrupted before any event was sent", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ReplaySetupError as exc:
        raise UsageFault(exc.message) from None
    except InvalidCredentialsError as exc:
        raise click.ClickException(
            f"the endpoint refused the API key ({exc.status}); nothing was sent: {exc.message}"
        ) from None
    except OSError as exc:  # the checkpoint or dead-letter file could not be written at the end
        raise click.ClickException(f"replay stopped: {exc}") from None
    document = build_report(
        result,
        events_path=events_path,
        endpoint=configuration.settings.endpoint,
        dead_letter_path=options.dead_letter_path,
        checkpoint_path=options.checkpoint_path,
    )
    if report:
        _write_report(Path(report), document)
    if as_json:
        print_json(document)
    else:
        out = console()
        table = summary_table(document)
        if not sys.stdout.isatty():  # a file or a pipe: no reason to squeeze the table into 80 columns
            out.width = max(out.width, Measurement.get(out, out.options.update_width(10_000), table).maximum)
        out.print(table)
        for line in summary_lines(document):
            out.print(line, soft_wrap=True)
    _exit(result, document)


def _exit(result: ReplayResult, document: dict[str, Any]) -> None:
    if result.stop_reason == INVALID_CREDENTIALS:
        message = result.stop_error.message if result.stop_error is not None else "the API key was refused"
        raise click.ClickException(
            f"stopped: {message}. Progress is saved; fix the key and run again with --resume"
        )
    if result.stop_reason == INTERRUPTED:
        sys.exit(EXIT_INTERRUPTED)
    if result.stop_reason == BROKEN:
        message = result.stop_error.message if result.stop_error is not None else "replay cannot go on"
        raise click.ClickException(f"stopped: {message}. Progress is saved; run again with --resume")
    failed = document["requests"]["failed"]
    if failed:
        raise click.ClickException(
            f"{failed} request(s) failed for good; they are in the dead-letter file {document['deadLetter']}"
        )
