"""The progress bar of a replay (on a terminal only): position in the file, events/s, outcomes."""

from __future__ import annotations

import asyncio
import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cordial_harness.replay.engine import ReplayEngine

REFRESH_SECONDS = 0.2


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("replay"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[rate]:>7.0f} events/s"),
        TextColumn("sent {task.fields[sent]}"),
        TextColumn("rejected {task.fields[rejected]}"),
        TextColumn("failed {task.fields[failed]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        auto_refresh=False,
    )


async def show_progress(engine: ReplayEngine, console: Console) -> None:
    """Redraw until cancelled: the file offset drives the bar; sent and failed are the summary
    table's counters so far (requests, retries included), rejected also counts malformed lines."""
    stats = engine.stats
    with _progress(console) as progress:
        task = progress.add_task(
            "replay", total=max(engine.total_bytes, 1), rate=0.0, sent=0, rejected=0, failed=0
        )
        last_lines, last_time = engine.lines_this_run, time.monotonic()
        rate = 0.0
        try:
            while True:
                await asyncio.sleep(REFRESH_SECONDS)
                now = time.monotonic()
                lines = engine.lines_this_run
                instant = (lines - last_lines) / (now - last_time) if now > last_time else 0.0
                rate = instant if rate == 0.0 else 0.7 * rate + 0.3 * instant
                last_lines, last_time = lines, now
                progress.update(
                    task,
                    completed=engine.read_offset,
                    rate=rate,
                    sent=stats.total("sent"),
                    rejected=stats.total("rejected") + stats.malformed,
                    failed=stats.total("failed"),
                )
                progress.refresh()
        finally:
            progress.update(task, completed=engine.read_offset, sent=stats.total("sent"))
            progress.refresh()
