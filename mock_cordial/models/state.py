"""The whole state at once: a snapshot for testers and a reset to empty."""

from __future__ import annotations

import sqlite3
from typing import Any

from mock_cordial.db import STATE_TABLES
from mock_cordial.models import activities, carts, contacts, lists, orders

__all__ = ["snapshot", "reset"]


def snapshot(conn: sqlite3.Connection) -> dict[str, Any]:
    """Contacts, lists (with members), carts, orders and activities as plain JSON."""
    ids = contacts.all_ids(conn)
    all_lists = []
    for item in lists.list_all(conn):
        all_lists.append({**item, "members": lists.members(conn, item["id"])})
    all_carts = {}
    for cid in ids:
        cart = carts.cart_of(conn, cid)
        if cart is not None:
            all_carts[cid] = cart
    return {
        "contacts": [contacts.admin_record(conn, cid) for cid in ids],
        "lists": all_lists,
        "carts": all_carts,
        "orders": orders.all_orders(conn),
        "activities": activities.all_activities(conn),
    }


def reset(conn: sqlite3.Connection) -> None:
    """Forget every contact, list, cart, order, activity and remembered idempotency key."""
    for table in STATE_TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'lists'")
