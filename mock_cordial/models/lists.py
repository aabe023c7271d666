"""Account lists and which contacts belong to them."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from mock_cordial.models.errors import Conflict, InvalidInput, NotFound
from mock_cordial.models.values import now_iso

__all__ = [
    "validate_name",
    "create",
    "ensure",
    "get",
    "find_by_name",
    "list_all",
    "update",
    "delete",
    "add_member",
    "remove_member",
    "ids_for_group",
    "members",
]

_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")


def validate_name(name: Any) -> str:
    """A list name the REST API accepts: letters, digits, dashes and underscores, at most 128."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidInput(
            "Name must contain only letters, numbers, dashes and underscores and should not exceed"
            f" 128 characters, got {str(name)[:140]!r}"
        )
    if name.lower() == "cid":
        raise InvalidInput("cid is not allowed for list names.")
    return name


def _not_found(list_id: Any) -> NotFound:
    return NotFound(f"List does not exist: {list_id}", error_key="ACCOUNT_LISTS_NOT_FOUND")


def _show(row: tuple) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "enhanced": bool(row[2]), "count": row[3]}


_SHOW = (
    "SELECT id, name, enhanced, (SELECT COUNT(*) FROM list_members m WHERE m.list_id = lists.id) FROM lists"
)


def find_by_name(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(f"{_SHOW} WHERE name = ?", (name,)).fetchone()
    return _show(row) if row else None


def create(conn: sqlite3.Connection, name: str, enhanced: bool = False, group_id: str | None = None) -> int:
    """A new list; Conflict when the name is taken (list names are unique)."""
    if find_by_name(conn, name) is not None:
        raise Conflict("Name must be unique")
    cursor = conn.execute(
        "INSERT INTO lists (name, enhanced, group_id, created_at) VALUES (?, ?, ?, ?)",
        (name, int(enhanced), group_id, now_iso()),
    )
    return cursor.lastrowid


def ensure(conn: sqlite3.Connection, name: str, group_id: str | None) -> int:
    """The id of the list with this name, created on first use (as the ingest service does)."""
    row = conn.execute("SELECT id, group_id FROM lists WHERE name = ?", (name,)).fetchone()
    if row is None:
        return create(conn, name, group_id=group_id)
    if row[1] is None and group_id is not None:
        conn.execute("UPDATE lists SET group_id = ? WHERE id = ?", (group_id, row[0]))
    return row[0]


def get(conn: sqlite3.Connection, list_id: int) -> dict[str, Any]:
    row = conn.execute(f"{_SHOW} WHERE id = ?", (list_id,)).fetchone()
    if row is None:
        raise _not_found(list_id)
    return _show(row)


def list_all(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [_show(row) for row in conn.execute(f"{_SHOW} ORDER BY id")]


def update(conn: sqlite3.Connection, list_id: int, name: str | None, enhanced: bool | None) -> dict[str, Any]:
    """Rename the list and/or switch date tracking."""
    current = get(conn, list_id)
    if name is not None and name != current["name"]:
        if find_by_name(conn, name) is not None:
            raise Conflict("Name must be unique")
        conn.execute("UPDATE lists SET name = ? WHERE id = ?", (name, list_id))
    if enhanced is not None:
        conn.execute("UPDATE lists SET enhanced = ? WHERE id = ?", (int(enhanced), list_id))
    return get(conn, list_id)


def delete(conn: sqlite3.Connection, list_id: int) -> None:
    get(conn, list_id)
    conn.execute("DELETE FROM list_members WHERE list_id = ?", (list_id,))
    conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))


def add_member(conn: sqlite3.Connection, list_id: int, cid: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO list_members (list_id, cid, joined_at) VALUES (?, ?, ?)",
        (list_id, cid, now_iso()),
    )


def remove_member(conn: sqlite3.Connection, list_id: int, cid: str) -> None:
    conn.execute("DELETE FROM list_members WHERE list_id = ? AND cid = ?", (list_id, cid))


def ids_for_group(conn: sqlite3.Connection, group_id: str) -> list[int]:
    """Every list a source group was added to: by its group id or its default name."""
    rows = conn.execute(
        "SELECT id FROM lists WHERE group_id = ? OR name = ? ORDER BY id", (group_id, f"segment_{group_id}")
    )
    return [list_id for (list_id,) in rows]


def members(conn: sqlite3.Connection, list_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT m.cid FROM list_members m JOIN contacts c ON c.cid = m.cid"
        " WHERE m.list_id = ? ORDER BY c.seq",
        (list_id,),
    )
    return [cid for (cid,) in rows]
