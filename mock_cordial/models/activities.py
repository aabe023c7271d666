"""Contact activities (events): appended, never changed, listed with filters."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from mock_cordial.models.orders import DateRange
from mock_cordial.models.values import format_timestamp, from_json, parse_datetime, to_json

__all__ = ["clean_properties", "append", "list_activities", "reassign", "all_activities"]


def clean_properties(properties: dict[str, Any]) -> dict[str, Any]:
    """Cordial strips property keys that are all digits or contain a dot."""
    return {k: v for k, v in properties.items() if not k.isdigit() and "." not in k}


def append(
    conn: sqlite3.Connection,
    cid: str,
    action: str,
    when: Any,
    details: dict[str, Any],
) -> dict[str, Any]:
    """Record one event for a contact; ``when`` absent or unreadable means now (kept as sent if text)."""
    parsed = parse_datetime(when) if when is not None else None
    if parsed is not None:
        shown, ts = parsed
    elif isinstance(when, str) and when.strip():
        shown, ts = when, None
    else:
        ts = time.time()
        shown = format_timestamp(ts)
    event: dict[str, Any] = {"action": action, "cID": cid, "time": shown}
    event.update(details)
    conn.execute(
        "INSERT INTO activities (cid, action, ts, data) VALUES (?, ?, ?, ?)",
        (cid, action, ts, to_json(event)),
    )
    return event


def list_activities(
    conn: sqlite3.Connection,
    *,
    cid: str | None,
    action: str | None,
    times: DateRange,
    mc_id: str | None,
    mdt_id: str | None,
    per_page: int,
) -> tuple[list[dict[str, Any]], int]:
    """Events newest first, filtered; at most ``per_page`` of them, and the total."""
    clauses, params = [], []
    if cid is not None:
        clauses.append("cid = ?")
        params.append(cid)
    if action is not None:
        clauses.append("action = ?")
        params.append(action)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT data, ts FROM activities{where} ORDER BY ts IS NULL, ts DESC, seq DESC", params
    ).fetchall()
    events = []
    for data, ts in rows:
        if not times.admits(ts):
            continue
        event = from_json(data)
        if mc_id is not None and event.get("mcID") != mc_id:
            continue
        if mdt_id is not None and event.get("mdtID") != mdt_id:
            continue
        events.append(event)
    return events[:per_page], len(events)


def all_activities(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [from_json(data) for (data,) in conn.execute("SELECT data FROM activities ORDER BY seq")]


def reassign(conn: sqlite3.Connection, source: str, destination: str) -> None:
    """Move a contact's events to another contact (when contacts merge)."""
    rows = conn.execute("SELECT seq, data FROM activities WHERE cid = ?", (source,)).fetchall()
    for seq, data in rows:
        event = from_json(data)
        event["cID"] = destination
        conn.execute(
            "UPDATE activities SET cid = ?, data = ? WHERE seq = ?", (destination, to_json(event), seq)
        )
