"""``cordial-harness map``: events in, the requests production would send out, no network."""

from __future__ import annotations

import sys

import click

from cordial_harness.jsonl import read_lines, write_line
from cordial_harness.map_lines import LineMapper, invalid_json_line


@click.command("map")
@click.argument("input_file", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write (default stdout).",
)
@click.option(
    "--api-key", envvar="CORDIAL_API_KEY", help="Cordial API key (x-api-key) unless a line sets it."
)
@click.option("--endpoint", help="Ingest endpoint unless a line sets it (default: production's).")
@click.option("--segment-id-key", help="Contact attribute that stores the user id, unless a line sets it.")
@click.option("--show-secrets", is_flag=True, help="Print the API key instead of ***.")
def map_command(input_file, output, api_key, endpoint, segment_id_key, show_secrets) -> None:
    """Map JSON-lines events to the requests production would send.

    Each input line is {"id", "event", "action"?, "subscribe"?, "mapping"?,
    "useDefaultMappings"?, "settings"?}.  With "action", one line comes out: the
    request or the error.  Without it, the event is routed by the default
    subscriptions and one line comes out per matching action.

    \b
    Example:
      echo '{"id": 1, "event": {"type": "identify", "userId": "u1"}}' \\
        | cordial-harness map --api-key KEY --segment-id-key segment_id
    """
    mapper = LineMapper(
        {"apiKey": api_key, "endpoint": endpoint, "segmentIdKey": segment_id_key}, show_secrets=show_secrets
    )
    for line in read_lines(input_file):
        results = [invalid_json_line(line.error)] if line.error else mapper.map(line.value)
        for result in results:
            write_line(output, result)
    if output is sys.stdout:
        output.flush()
