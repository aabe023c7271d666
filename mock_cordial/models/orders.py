"""Orders, keyed by order id and tied to the contact who placed them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from mock_cordial.models.errors import Conflict, InvalidInput, NotFound
from mock_cordial.models.paging import page_of, sort_records
from mock_cordial.models.values import from_json, iso_seconds, now_iso, parse_datetime, to_json

__all__ = [
    "DateRange",
    "upsert",
    "create",
    "update",
    "get",
    "list_orders",
    "delete",
    "reassign",
    "all_orders",
]


@dataclass(frozen=True)
class DateRange:
    """Bounds on the purchase date, in Unix seconds (each optional)."""

    equal: float | None = None
    lt: float | None = None
    gt: float | None = None
    lte: float | None = None
    gte: float | None = None

    @classmethod
    def from_query(cls, values: dict[str, str | None], prefix: str) -> DateRange:
        """Read ``prefix``, ``prefix[lt]``, ... from query parameters; 422 on a date it cannot read.

        Every ISO 8601 value the contract admits is read; in lenient mode other
        date forms ``parse_datetime`` knows (RFC 2822, Unix seconds) are too.
        """
        bounds: dict[str, float] = {}
        for suffix, name in (
            ("", "equal"),
            ("[lt]", "lt"),
            ("[gt]", "gt"),
            ("[lte]", "lte"),
            ("[gte]", "gte"),
        ):
            text = values.get(prefix + suffix)
            if text is None:
                continue
            seconds = iso_seconds(text)
            if seconds is None:
                parsed = parse_datetime(text)  # other readable dates, which only lenient mode lets through
                if parsed is None:
                    raise InvalidInput(f"Time value is incorrect: {prefix}{suffix}={text[:60]!r}")
                seconds = parsed[1]
            bounds[name] = seconds
        return cls(**bounds)

    def admits(self, ts: float | None) -> bool:
        if not any(v is not None for v in (self.equal, self.lt, self.gt, self.lte, self.gte)):
            return True
        if ts is None:
            return False
        return (
            (self.equal is None or ts == self.equal)
            and (self.lt is None or ts < self.lt)
            and (self.gt is None or ts > self.gt)
            and (self.lte is None or ts <= self.lte)
            and (self.gte is None or ts >= self.gte)
        )


def _normalized(order: dict[str, Any]) -> tuple[dict[str, Any], float | None]:
    """The order with its purchase date in ISO form and derived totals, plus the date in seconds."""
    data = dict(order)
    ts = None
    if "purchaseDate" in data:
        parsed = parse_datetime(data["purchaseDate"])
        if parsed is not None:
            data["purchaseDate"], ts = parsed
    discount = data.get("discountApplication")
    if isinstance(discount, dict) and discount.get("type") == "fixed":
        amount = discount.get("amount")
        if isinstance(amount, (int, float)) and not isinstance(amount, bool):
            data["totalDiscountAmount"] = amount
    return data, ts


def _exists(conn: sqlite3.Connection, order_id: str) -> bool:
    return conn.execute("SELECT 1 FROM orders WHERE order_id = ?", (order_id,)).fetchone() is not None


def _write(conn: sqlite3.Connection, order: dict[str, Any], created_at: str | None) -> None:
    data, ts = _normalized(order)
    now = now_iso()
    conn.execute(
        "INSERT INTO orders (order_id, cid, purchase_ts, data, created_at, last_modified)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (order_id) DO UPDATE SET cid = excluded.cid, purchase_ts = excluded.purchase_ts,"
        " data = excluded.data, last_modified = excluded.last_modified",
        (data["orderID"], data.get("cID"), ts, to_json(data), created_at or now, now),
    )


def upsert(conn: sqlite3.Connection, order: dict[str, Any]) -> None:
    """Create the order or replace every field of the one with the same ``orderID``."""
    _write(conn, order, None)


def create(conn: sqlite3.Connection, order: dict[str, Any]) -> None:
    """A new order; Conflict when the order id is already used."""
    if _exists(conn, order["orderID"]):
        raise Conflict(f"orderID {order['orderID']!r} already exists")
    _write(conn, order, None)


def update(conn: sqlite3.Connection, order_id: str, changes: dict[str, Any]) -> None:
    """Change the given fields of an existing order."""
    current = get(conn, order_id)
    merged = {k: v for k, v in current.items() if k not in ("createdAt", "lastModified")}
    merged.update(changes)
    merged["orderID"] = order_id
    _write(conn, merged, current["createdAt"])


def _show(row: tuple) -> dict[str, Any]:
    data = from_json(row[0])
    data["createdAt"] = row[1]
    data["lastModified"] = row[2]
    return data


def get(conn: sqlite3.Connection, order_id: str) -> dict[str, Any]:
    row = conn.execute(
        "SELECT data, created_at, last_modified FROM orders WHERE order_id = ?", (order_id,)
    ).fetchone()
    if row is None:
        raise NotFound("record not found")
    return _show(row)


def list_orders(
    conn: sqlite3.Connection,
    *,
    cid: str | None,
    purchase: DateRange,
    page: int,
    per_page: int,
    sort_by: str | None,
    sort_dir: str,
) -> tuple[list[dict[str, Any]], int]:
    """One page of orders (optionally one contact's, within purchase-date bounds) and the total."""
    if cid is not None:
        rows = conn.execute(
            "SELECT data, created_at, last_modified, purchase_ts FROM orders WHERE cid = ? ORDER BY seq",
            (cid,),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT data, created_at, last_modified, purchase_ts FROM orders ORDER BY seq"
        ).fetchall()
    records = [_show(row) for row in rows if purchase.admits(row[3])]
    if sort_by:
        records = sort_records(records, lambda r: r.get(sort_by), descending=sort_dir == "desc")
    elif sort_dir == "desc":
        records.reverse()
    return page_of(records, page, per_page), len(records)


def all_orders(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT data, created_at, last_modified FROM orders ORDER BY seq")
    return [_show(row) for row in rows]


def delete(conn: sqlite3.Connection, order_id: str) -> None:
    if conn.execute("DELETE FROM orders WHERE order_id = ?", (order_id,)).rowcount == 0:
        raise NotFound("Order not found")


def reassign(conn: sqlite3.Connection, source: str, destination: str) -> None:
    """Move every order of one contact to another (when contacts merge)."""
    rows = conn.execute("SELECT order_id, data FROM orders WHERE cid = ?", (source,)).fetchall()
    for order_id, data in rows:
        order = from_json(data)
        order["cID"] = destination
        conn.execute(
            "UPDATE orders SET cid = ?, data = ? WHERE order_id = ?", (destination, to_json(order), order_id)
        )
