"""How fast the reference destination builds requests, in-process on one core.

Builds the request (validated payload, body and its exact bytes) for a mixed
corpus of realistic events through all eight actions with default mappings,
and prints events per second per action and overall.

    .venv/bin/python benchmarks/bench_reference.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from rich.console import Console
from rich.table import Table

from reference import Destination, Settings, js_json

BASE = {
    "userId": "user-1042",
    "anonymousId": "anon-7f3a",
    "timestamp": "2026-11-02T09:17:12.500Z",
    "context": {
        "ip": "203.0.113.24",
        "locale": "en-US",
        "library": {"name": "analytics.js", "version": "2.11.1"},
    },
}


def _product(i: int) -> dict:
    return {
        "product_id": f"sku-{i}",
        "sku": f"SKU-{i:04d}",
        "category": "Tents",
        "name": f"Ridgeline {i}P Tent",
        "brand": "Acme",
        "variant": "green",
        "price": 249.0 + i,
        "quantity": 1 + i % 3,
        "coupon": "FALL10",
        "url": f"https://shop.example.com/p/{i}",
        "image_url": f"https://shop.example.com/img/{i}.jpg",
    }


def corpus(rng: random.Random) -> dict[str, list[dict]]:
    """A few distinct realistic events per action (the same events repeat in the run)."""
    events: dict[str, list[dict]] = {}
    events["createContactactivity"] = [
        {
            **BASE,
            "type": "page",
            "name": "Home",
            "properties": {"path": "/", "title": "Acme", "url": "https://x"},
        },
        {**BASE, "type": "track", "event": "Signed Up", "properties": {"plan": "gold", "trial": True}},
    ]
    events["upsertContact"] = [
        {**BASE, "type": "identify", "traits": {"email": "ada@example.com", "first_name": "Ada"}},
    ]
    group = {**BASE, "type": "group", "groupId": "vip-club", "traits": {"name": "VIP Club"}}
    events["addContactToList"] = [group]
    events["removeContactFromList"] = [group]
    added = {**BASE, "type": "track", "event": "Product Added", "properties": _product(1)}
    events["addProductToCart"] = [added]
    events["removeProductFromCart"] = [{**added, "event": "Product Removed"}]
    events["upsertOrder"] = [
        {
            **BASE,
            "type": "track",
            "event": "Order Completed",
            "properties": {
                "order_id": f"order-{n}",
                "total": 283.5,
                "revenue": 258.5,
                "shipping": 10,
                "tax": 15,
                "discount": 24.9,
                "coupon": "FALL10",
                "currency": "USD",
                "products": [_product(i) for i in range(1 + n % 3)],
            },
        }
        for n in range(3)
    ]
    events["mergeContacts"] = [{**BASE, "type": "alias", "previousId": "anon-7f3a"}]
    for name in events:
        # Events arrive as JSON: parse them as production does (2.0 is 2).
        events[name] = [js_json.loads(json.dumps(e)) for e in events[name]]
        rng.shuffle(events[name])
    return events


def _timed_round(dest: Destination, action: str, samples: list[dict], n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        dest.build_request(action, samples[i % len(samples)]).content  # noqa: B018
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events per action and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per action; the fastest counts")
    args = parser.parse_args()

    dest = Destination(Settings("bench-key", segment_id_key="segment_id"))
    events = corpus(random.Random(7))
    table = Table(
        title=f"reference: requests built per second ({args.events:,} events per action, "
        f"best of {args.rounds})"
    )
    table.add_column("action")
    table.add_column("events/s", justify="right")
    table.add_column("µs/event", justify="right")
    total_events = 0
    total_seconds = 0.0
    for action, samples in events.items():
        for event in samples:  # warm the compiled configuration and caches
            dest.build_request(action, event).content  # noqa: B018
        n = args.events
        elapsed = min(_timed_round(dest, action, samples, n) for _ in range(args.rounds))
        total_events += n
        total_seconds += elapsed
        table.add_row(action, f"{n / elapsed:,.0f}", f"{elapsed / n * 1e6:.1f}")
    table.add_row(
        "overall", f"{total_events / total_seconds:,.0f}", f"{total_seconds / total_events * 1e6:.1f}"
    )
    Console().print(table)


if __name__ == "__main__":
    main()
