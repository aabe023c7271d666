"""Terminal output shared by the commands: colour only on a terminal, JSON for CI."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.console import Console

from reference import js_json


def console(*, stderr: bool = False) -> Console:
    """A rich console that colours only when writing to a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream, force_terminal=False, no_color=not stream.isatty(), highlight=False, soft_wrap=False
    )


def print_json(value: Any) -> None:
    """One JSON document on stdout (for ``--json``)."""
    click.echo(js_json.dumps(value))


def json_option(function):
    """The ``--json`` flag every table-printing command offers."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables (for CI).")(
        function
    )
