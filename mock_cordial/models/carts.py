"""A contact's cart: items keyed by product id whose quantities add up and come down."""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from mock_cordial.models.values import from_json, now_iso, to_json

__all__ = ["MAX_QTY", "add_item", "remove_quantity", "replace", "clear", "cart_of", "move", "last_modified"]

#: Largest quantity the mock keeps (a double holds every whole number up to here).
MAX_QTY = 2**53


def _touch(conn: sqlite3.Connection, cid: str) -> None:
    conn.execute(
        "INSERT INTO carts (cid, last_modified) VALUES (?, ?)"
        " ON CONFLICT (cid) DO UPDATE SET last_modified = excluded.last_modified",
        (cid, now_iso()),
    )


def add_item(conn: sqlite3.Connection, cid: str, item: dict[str, Any], qty: int) -> dict[str, Any] | None:
    """Add ``qty`` of a product (``item["productID"]``); the other fields take the newest values.

    Quantities are plain arithmetic (a negative ``qty`` takes some away),
    capped at :data:`MAX_QTY`. Returns the item as stored, or None when the
    quantity comes to zero or less and the product leaves the cart.
    """
    product_id = item["productID"]
    details = {k: v for k, v in item.items() if k not in ("productID", "qty")}
    row = conn.execute(
        "SELECT qty, item FROM cart_items WHERE cid = ? AND product_id = ?", (cid, product_id)
    ).fetchone()
    _touch(conn, cid)
    if row is None:
        if qty <= 0:
            return None
        position = conn.execute(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM cart_items WHERE cid = ?", (cid,)
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO cart_items (cid, product_id, position, qty, item) VALUES (?, ?, ?, ?, ?)",
            (cid, product_id, position, qty, to_json(details)),
        )
        return _item(product_id, qty, details)
    total = min(row[0] + qty, MAX_QTY)
    if total <= 0:
        conn.execute("DELETE FROM cart_items WHERE cid = ? AND product_id = ?", (cid, product_id))
        return None
    merged = {**from_json(row[1]), **details}
    conn.execute(
        "UPDATE cart_items SET qty = ?, item = ? WHERE cid = ? AND product_id = ?",
        (total, to_json(merged), cid, product_id),
    )
    return _item(product_id, total, merged)


def remove_quantity(
    conn: sqlite3.Connection, cid: str, product_id: str, qty: int, sku: str | None = None
) -> bool:
    """Take ``qty`` of a product out of the cart (all of it when fewer remain).

    With ``sku``, an item recorded with another SKU does not match. Returns
    whether the cart held the product.
    """
    row = conn.execute(
        "SELECT qty, item FROM cart_items WHERE cid = ? AND product_id = ?", (cid, product_id)
    ).fetchone()
    if row is None:
        return False
    stored_sku = from_json(row[1]).get("sku")
    if sku is not None and stored_sku is not None and stored_sku != sku:
        return False
    if qty == 0:
        return True
    _touch(conn, cid)
    remaining = min(row[0] - qty, MAX_QTY)
    if remaining <= 0:
        conn.execute("DELETE FROM cart_items WHERE cid = ? AND product_id = ?", (cid, product_id))
    else:
        conn.execute(
            "UPDATE cart_items SET qty = ? WHERE cid = ? AND product_id = ?", (remaining, cid, product_id)
        )
    return True


def replace(conn: sqlite3.Connection, cid: str, details: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """Make the cart exactly this: cart-level fields plus items (same product twice adds up)."""
    clear(conn, cid)
    _touch(conn, cid)
    conn.execute("UPDATE carts SET details = ? WHERE cid = ?", (to_json(details), cid))
    for item in items:
        add_item(conn, cid, {k: v for k, v in item.items() if k != "qty"}, item["qty"])


def clear(conn: sqlite3.Connection, cid: str) -> None:
    """Remove the cart and every item in it."""
    conn.execute("DELETE FROM cart_items WHERE cid = ?", (cid,))
    conn.execute("DELETE FROM carts WHERE cid = ?", (cid,))


def move(conn: sqlite3.Connection, source: str, destination: str) -> None:
    """Give ``destination`` the cart of ``source`` (replacing its own)."""
    clear(conn, destination)
    conn.execute("UPDATE carts SET cid = ? WHERE cid = ?", (destination, source))
    conn.execute("UPDATE cart_items SET cid = ? WHERE cid = ?", (destination, source))


def last_modified(conn: sqlite3.Connection, cid: str) -> str | None:
    row = conn.execute("SELECT last_modified FROM carts WHERE cid = ?", (cid,)).fetchone()
    return row[0] if row else None


def _item(product_id: str, qty: int, details: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"productID": product_id}
    item.update(details)
    item["qty"] = qty
    return item


def cart_of(conn: sqlite3.Connection, cid: str) -> dict[str, Any] | None:
    """The cart as Cordial shows it on the contact, or None when the contact has none."""
    head = conn.execute("SELECT details, last_modified FROM carts WHERE cid = ?", (cid,)).fetchone()
    if head is None:
        return None
    items = [
        _item(product_id, qty, from_json(item))
        for product_id, qty, item in conn.execute(
            "SELECT product_id, qty, item FROM cart_items WHERE cid = ? ORDER BY position", (cid,)
        )
    ]
    total = 0
    for item in items:
        price = item.get("itemPrice")
        if isinstance(price, (int, float)) and not isinstance(price, bool):
            total += price * item["qty"]
    if not math.isfinite(total):
        total = None  # prices so large their sum overflows a double: JSON cannot carry it
    cart: dict[str, Any] = {**from_json(head[0]), "cartitems": items, "totalAmount": total}
    cart["lastModified"] = head[1]
    return cart
