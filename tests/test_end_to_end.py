"""End to end: the reference destination delivers the sample journey to a real `serve`
process over loopback HTTP, and the result is read back through Cordial's REST API v2."""

from __future__ import annotations

from pathlib import Path

import httpx

from mock_cordial.pytest_plugin import running_server
from reference import Destination, Settings, js_json

JOURNEY = Path(__file__).resolve().parents[1] / "examples" / "journey.jsonl"


def test_journey_through_serve_reads_back_through_v2(tmp_path: Path) -> None:
    events = [js_json.loads(line)["event"] for line in JOURNEY.read_text(encoding="utf-8").splitlines()]
    with running_server(api_keys=["e2e-key"], db_path=tmp_path / "state.sqlite", workers=2) as server:
        with Destination(Settings("e2e-key", endpoint=server.base_url, segment_id_key="segment_id")) as dest:
            statuses = [
                dest.send(action, event).status_code for event in events for action in dest.route(event)
            ]
            dest.test_authentication()
        assert statuses == [202] * 15

        with httpx.Client(base_url=f"{server.base_url}/v2", auth=("e2e-key", ""), timeout=10) as rest:
            contact = rest.get("/contacts/segment_id:user-1042").json()
            assert contact["attributes"]["segment_id"] == "user-1042"
            assert sorted(contact["lists"]) == ["VIP Club", "segment_newsletter"]
            cart = {item["productID"]: item["qty"] for item in contact["cart"]["cartitems"]}
            assert cart == {"sku-tent-2p": 1, "sku-lamp": 1}  # 2 added, 1 removed; 1 added

            order = rest.get("/orders/order-5001").json()
            assert (order["status"], order["totalAmount"], order["cID"]) == (
                "Order Updated",
                249,
                contact["cID"],
            )
            assert [item["productID"] for item in order["items"]] == ["sku-tent-2p"]

            lists = {item["name"]: item["count"] for item in rest.get("/accountlists").json()}
            assert lists == {"VIP Club": 1, "segment_newsletter": 1}

            activities = rest.get("/contactactivities").json()
            assert sorted(a["action"] for a in activities) == sorted(
                [e.get("event", "pageView") for e in events if e["type"] in ("track", "page")]
            )
            assert len(rest.get("/contacts").json()) == 1  # the alias merged the visitor into the user

            assert rest.get("/contacts/segment_id:nobody").status_code == 404
            assert httpx.get(f"{server.base_url}/v2/contacts", auth=("wrong", "")).status_code == 401
