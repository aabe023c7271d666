"""``cordial-harness contracts``: the OpenAPI contracts shipped with the package."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table


@click.group("contracts")
def contracts() -> None:
    """Work with the OpenAPI contracts of Cordial's ingest service and REST API v2."""


@contracts.command("check")
def check() -> None:
    """Validate both contract documents (OpenAPI 3.1, operation ids, links, compilation).

    Prints one row per document and each error found; exits 1 when any
    document has errors.
    """
    from contracts.check import check_documents

    reports = check_documents()
    console = Console()
    table = Table(title="Contracts")
    table.add_column("contract")
    table.add_column("file")
    table.add_column("operations", justify="right")
    table.add_column("status")
    for report in reports:
        status = "[green]OK[/green]" if report.ok else f"[red]{len(report.errors)} error(s)[/red]"
        table.add_row(report.name, report.file, str(report.operations), status)
    console.print(table)
    for report in reports:
        for error in report.errors:
            console.print(f"[red]{report.name}[/red]: {error}", markup=True, highlight=False)
    if not all(report.ok for report in reports):
        raise SystemExit(1)
