"""`cordial-harness demo`: the bundled journey lands in the mock as Cordial would hold it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cordial_harness", "demo", *args], capture_output=True, text=True, timeout=120
    )


def test_demo_json_delivers_every_request_and_shows_the_state() -> None:
    proc = run_demo("--json")
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout)
    deliveries = [d for event in outcome["events"] for d in event["deliveries"]]
    assert len(deliveries) == 15
    assert all(d["status"] == 202 and d["contract"] == "valid" for d in deliveries), deliveries
    assert {d["action"] for d in deliveries} == {
        "createContactactivity",
        "upsertContact",
        "addProductToCart",
        "removeProductFromCart",
        "upsertOrder",
        "addContactToList",
        "mergeContacts",
    }

    state = outcome["state"]
    (contact,) = state["contacts"]  # the alias merged the anonymous visitor into the user
    assert contact["attributes"]["segment_id"] == "user-1042"
    assert sorted(item["name"] for item in state["lists"]) == ["VIP Club", "segment_newsletter"]
    cart = state["carts"][contact["cID"]]
    assert {item["productID"]: item["qty"] for item in cart["cartitems"]} == {"sku-tent-2p": 1, "sku-lamp": 1}
    (order,) = state["orders"]
    assert order["orderID"] == "order-5001" and order["status"] == "Order Updated"
    journey = [
        json.loads(line)["event"] for line in (REPO / "examples" / "journey.jsonl").read_text().splitlines()
    ]
    expected_times = [e["timestamp"] for e in journey if e["type"] in ("track", "page")]
    assert [a["time"] for a in state["activities"]] == expected_times


def test_demo_prints_tables() -> None:
    proc = run_demo()
    assert proc.returncode == 0, proc.stderr
    for title in ("Journey", "Contacts", "Lists", "Carts", "Orders", "Contact activities"):
        assert title in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour when not on a terminal
