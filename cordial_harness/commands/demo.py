"""``cordial-harness demo``: the bundled customer journey, end to end, in one command.

Starts the mock in this process on a loopback port (in-memory state), routes
each sample event by the configuration's subscriptions, delivers every request
over HTTP with the reference destination, then prints what happened per event
and the state Cordial would now hold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import httpx
from rich.table import Table
from werkzeug.serving import WSGIRequestHandler, make_server

from cordial_harness.console import console, json_option, print_json
from cordial_harness.files import read_configuration
from cordial_harness.jsonl import read_lines
from reference import delivery
from reference.configuration import CompiledConfiguration
from reference.errors import CordialHarnessError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class _QuietHandler(WSGIRequestHandler):
    """The demo prints its own tables; no access log lines in between."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def loopback_mock(api_key: str) -> Iterator[str]:
    """A mock with in-memory state on 127.0.0.1, for the duration of the block."""
    from mock_cordial import create_app

    server = make_server(
        "127.0.0.1", 0, create_app(api_keys=[api_key]), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="cordial-mock", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _verdict(entry: dict[str, Any] | None) -> str:
    """The journal's contract verdict for one request, in a word or two."""
    if entry is None:
        return "-"
    verdict = entry.get("verdict") or {}
    if not verdict.get("checked", True):
        return "not checked"
    if verdict.get("conforms"):
        return "valid"
    problems = len(verdict.get("request") or []) + len(verdict.get("response") or [])
    return f"{problems} violation(s)"


def run_journey(events_path: Path, config_path: Path) -> dict[str, Any]:
    """Deliver every event's requests to a fresh mock; return per-event results and the final state."""
    configuration = read_configuration(config_path)
    api_key = configuration.settings.api_key
    results: list[dict[str, Any]] = []
    with loopback_mock(api_key) as base_url, httpx.Client(timeout=10) as client:
        from reference.settings import Settings

        settings = Settings(api_key, endpoint=base_url, segment_id_key=configuration.settings.segment_id_key)
        compiled = CompiledConfiguration(type(configuration)(settings, configuration.subscriptions))
        with events_path.open(encoding="utf-8") as stream:
            for line in read_lines(stream):
                if line.error:
                    results.append(
                        {"id": f"line {line.number}", "type": "?", "deliveries": [], "error": line.error}
                    )
                    continue
                value = line.value if isinstance(line.value, dict) else {}
                event = value.get("event", value)
                deliveries = []
                for outcome in compiled.outcomes(event):
                    row: dict[str, Any] = {"action": outcome.action}
                    if outcome.error is not None:
                        row.update(status="rejected", detail=outcome.error.message)
                    else:
                        assert outcome.request is not None
                        try:
                            response = delivery.send(outcome.request, client)
                            row.update(status=response.status_code)
                        except CordialHarnessError as exc:
                            row.update(status=getattr(exc, "status", None) or "failed", detail=exc.message)
                        journal = client.get(f"{base_url}/__admin/requests").json()["requests"]
                        row["contract"] = _verdict(journal[-1] if journal else None)
                    deliveries.append(row)
                results.append(
                    {"id": value.get("id", line.number), "type": event.get("type"), "deliveries": deliveries}
                )
        state = client.get(f"{base_url}/__admin/state").json()
    return {"events": results, "state": state}


def _events_table(results: list[dict[str, Any]]) -> Table:
    table = Table(title="Journey: the actions each event matched and what the mock answered")
    for column in ("event", "type", "action", "status", "contract"):
        table.add_column(column, no_wrap=True)
    for result in results:
        rows = result["deliveries"] or [{"action": "(no subscription matched)", "status": ""}]
        for i, row in enumerate(rows):
            status = str(row.get("status", ""))
            if row.get("status") == "rejected":
                status = f"rejected: {row.get('detail', '')}"
            table.add_row(
                str(result["id"]) if i == 0 else "",
                str(result["type"]) if i == 0 else "",
                row["action"],
                status,
                row.get("contract", ""),
            )
    return table


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_compact(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(map(_compact, value)) + "]"
    return str(value)


def _state_tables(state: dict[str, Any]) -> list[Table]:
    contacts = Table(title="Contacts")
    for column in ("cID", "identities", "attributes", "lists"):
        contacts.add_column(column)
    for contact in state.get("contacts", []):
        shown_elsewhere = {"cID", "attributes", "lists", "cart", "createdAt", "lastModified"}
        identities = {
            k: v for k, v in contact.items() if k not in shown_elsewhere and v not in ({}, [], None)
        }
        contacts.add_row(
            str(contact.get("cID")),
            _compact(identities),
            _compact(contact.get("attributes", {})),
            ", ".join(map(str, contact.get("lists", []))),
        )
    lists = Table(title="Lists")
    for column in ("id", "name", "members"):
        lists.add_column(column)
    for item in state.get("lists", []):
        lists.add_row(
            str(item.get("id")), str(item.get("name")), ", ".join(map(str, item.get("members", [])))
        )
    carts = Table(title="Carts")
    for column in ("contact", "product", "sku", "qty", "price"):
        carts.add_column(column)
    for cid, cart in (state.get("carts") or {}).items():
        for item in cart.get("cartitems", []):
            carts.add_row(
                cid,
                str(item.get("productID")),
                str(item.get("sku")),
                str(item.get("qty")),
                str(item.get("itemPrice", "")),
            )
    orders = Table(title="Orders")
    for column in ("orderID", "contact", "status", "total", "items", "purchaseDate"):
        orders.add_column(column)
    for order in state.get("orders", []):
        orders.add_row(
            str(order.get("orderID")),
            str(order.get("cID", "")),
            str(order.get("status", "")),
            str(order.get("totalAmount", "")),
            ", ".join(f"{i.get('productID')} x{i.get('qty', 1)}" for i in order.get("items", [])),
            str(order.get("purchaseDate", "")),
        )
    activities = Table(title="Contact activities")
    for column in ("contact", "action", "time"):
        activities.add_column(column)
    for activity in state.get("activities", []):
        activities.add_row(
            str(activity.get("cID", "")), str(activity.get("action")), str(activity.get("time", ""))
        )
    return [contacts, lists, carts, orders, activities]


@click.command("demo")
@click.option(
    "--events",
    "events_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=EXAMPLES / "journey.jsonl",
    show_default=True,
    help="JSON lines of {id, event}.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=EXAMPLES / "destination.json",
    show_default=True,
    help="Destination configuration (settings, subscriptions).",
)
@json_option
def demo(events_path: Path, config_path: Path, as_json: bool) -> None:
    """Run the bundled customer journey through the destination and an in-process mock.

    \b
    Example:
      cordial-harness demo
      cordial-harness demo --config examples/mappings.json --json
    """
    started = time.perf_counter()
    outcome = run_journey(events_path, config_path)
    if as_json:
        print_json(outcome)
        return
    out = console()
    out.print(_events_table(outcome["events"]))
    for table in _state_tables(outcome["state"]):
        out.print(table)
    sent = sum(1 for e in outcome["events"] for d in e["deliveries"] if isinstance(d.get("status"), int))
    out.print(
        f"{len(outcome['events'])} events, {sent} requests delivered in {time.perf_counter() - started:.2f}s"
    )
