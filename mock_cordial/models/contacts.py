"""Contacts: finding them by any identifier, creating, updating, listing and deleting them.

Every function takes an open transaction (a ``sqlite3.Connection`` inside
``Database.write()``/``read()``) so a caller can combine several steps
atomically.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from mock_cordial.models import carts
from mock_cordial.models.errors import Conflict, InvalidInput, NotFound
from mock_cordial.models.identity import (
    ALIAS,
    ATTRIBUTE,
    CONTACT_ID,
    EMAIL,
    Identifier,
    parse_primary_key,
)
from mock_cordial.models.paging import page_of, sort_records
from mock_cordial.models.values import from_json, new_contact_id, now_iso, scalar_text, to_json

__all__ = [
    "RESERVED_ATTRIBUTES",
    "SUBSCRIBE_STATUSES",
    "find",
    "find_first",
    "holders",
    "require",
    "create",
    "attach",
    "set_email",
    "set_subscribe_status",
    "set_attributes",
    "replace_attributes",
    "attributes_of",
    "email_of",
    "list_names",
    "touch",
    "record",
    "admin_record",
    "list_records",
    "delete",
    "all_ids",
]

#: Names a contact attribute cannot take: they are the record's own fields.
RESERVED_ATTRIBUTES = frozenset(
    {
        "cID",
        "_id",
        "channels",
        "lists",
        "listJoinDate",
        "createdAt",
        "lastModified",
        "cart",
        "identifyBy",
        "suppressTriggers",
        "forceSubscribe",
    }
)
SUBSCRIBE_STATUSES = ("none", "subscribed", "unsubscribed")


def find(conn: sqlite3.Connection, ident: Identifier | None) -> str | None:
    """The cID the identifier selects, or None (also for no identifier)."""
    if ident is None:
        return None
    if ident.kind == EMAIL:
        row = conn.execute("SELECT cid FROM contacts WHERE email = ?", (ident.value,)).fetchone()
    elif ident.kind == CONTACT_ID:
        row = conn.execute("SELECT cid FROM contacts WHERE cid = ?", (ident.value,)).fetchone()
    elif ident.kind == ATTRIBUTE:
        row = conn.execute(
            "SELECT a.cid FROM attribute_index a JOIN contacts c ON c.cid = a.cid"
            " WHERE a.name = ? AND a.value = ? ORDER BY c.seq LIMIT 1",
            (ident.name, ident.value),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT cid FROM contact_aliases WHERE kind = ? AND value = ?", (ident.name, ident.value)
        ).fetchone()
    return row[0] if row else None


_LOOKUPS = {
    EMAIL: ("SELECT cid FROM contacts WHERE email = ?", lambda i: (i.value,)),
    CONTACT_ID: ("SELECT cid FROM contacts WHERE cid = ?", lambda i: (i.value,)),
    ATTRIBUTE: (
        "SELECT a.cid FROM attribute_index a JOIN contacts c ON c.cid = a.cid"
        " WHERE a.name = ? AND a.value = ? ORDER BY c.seq LIMIT 1",
        lambda i: (i.name, i.value),
    ),
    ALIAS: ("SELECT cid FROM contact_aliases WHERE kind = ? AND value = ?", lambda i: (i.name, i.value)),
}


def holders(conn: sqlite3.Connection, identifiers: list[Identifier]) -> list[str | None]:
    """For each identifier, the contact that holds it (one query for all of them)."""
    if not identifiers:
        return []
    parts, params = [], []
    for position, ident in enumerate(identifiers):
        sql, args = _LOOKUPS[ident.kind]
        parts.append(f"SELECT {position}, ({sql})")
        params.extend(args(ident))
    found = dict(conn.execute(" UNION ALL ".join(parts), params).fetchall())
    return [found.get(position) for position in range(len(identifiers))]


def find_first(conn: sqlite3.Connection, identifiers: list[Identifier]) -> str | None:
    """The contact selected by the first identifier that finds one."""
    for ident in identifiers:
        cid = find(conn, ident)
        if cid is not None:
            return cid
    return None


def require(conn: sqlite3.Connection, primary_key: str) -> str:
    """The cID of the contact a REST primary key names; NotFound when there is none."""
    cid = find(conn, parse_primary_key(primary_key))
    if cid is None:
        raise NotFound("record not found")
    return cid


def create(conn: sqlite3.Connection, identifiers: list[Identifier] = ()) -> str:
    """A new contact holding every identifier given that no other contact holds."""
    cid = new_contact_id()
    now = now_iso()
    conn.execute("INSERT INTO contacts (cid, created_at, last_modified) VALUES (?, ?, ?)", (cid, now, now))
    attach(conn, cid, identifiers)
    return cid


def attach(conn: sqlite3.Connection, cid: str, identifiers: list[Identifier]) -> bool:
    """Record on the contact the identifiers it was found or created with; True if any was new.

    An identifier already held by a contact (this one or another) is left
    where it is, so each email, secondary-key value and remembered id keeps
    naming one contact.
    """
    attributes: dict[str, Any] = {}
    changed = False
    for ident in identifiers:
        if ident.kind == CONTACT_ID or find(conn, ident) is not None:
            continue
        if ident.kind == EMAIL:
            conn.execute("UPDATE contacts SET email = ? WHERE cid = ?", (ident.value, cid))
            changed = True
        elif ident.kind == ATTRIBUTE:
            if ident.name not in RESERVED_ATTRIBUTES:
                attributes[ident.name] = ident.raw
        elif ident.kind == ALIAS:
            conn.execute(
                "INSERT INTO contact_aliases (kind, value, cid) VALUES (?, ?, ?)",
                (ident.name, ident.value, cid),
            )
            changed = True
    if attributes:
        set_attributes(conn, cid, attributes)
    return changed or bool(attributes)


def set_email(conn: sqlite3.Connection, cid: str, address: str | None) -> None:
    """Give the contact this email address (None removes it); Conflict when another contact has it."""
    if address is not None:
        holder = conn.execute("SELECT cid FROM contacts WHERE email = ?", (address,)).fetchone()
        if holder is not None and holder[0] != cid:
            raise Conflict(f"email address {address!r} belongs to another contact")
    conn.execute("UPDATE contacts SET email = ? WHERE cid = ?", (address, cid))


def set_subscribe_status(conn: sqlite3.Connection, cid: str, status: Any) -> None:
    if status not in SUBSCRIBE_STATUSES:
        raise InvalidInput(f"subscribeStatus must be one of {', '.join(SUBSCRIBE_STATUSES)}, got {status!r}")
    conn.execute("UPDATE contacts SET subscribe_status = ? WHERE cid = ?", (status, cid))


def set_attributes(conn: sqlite3.Connection, cid: str, updates: dict[str, Any]) -> None:
    """Merge attribute values into the contact and keep the secondary-key index in step."""
    if not updates:
        return
    row = conn.execute("SELECT attributes FROM contacts WHERE cid = ?", (cid,)).fetchone()
    attributes = from_json(row[0])
    attributes.update(updates)
    conn.execute("UPDATE contacts SET attributes = ? WHERE cid = ?", (to_json(attributes), cid))
    for name, value in updates.items():
        conn.execute("DELETE FROM attribute_index WHERE cid = ? AND name = ?", (cid, name))
        text = None if isinstance(value, (dict, list)) else scalar_text(value)
        if text is not None:
            conn.execute(
                "INSERT OR IGNORE INTO attribute_index (name, value, cid) VALUES (?, ?, ?)", (name, text, cid)
            )


def replace_attributes(conn: sqlite3.Connection, cid: str, attributes: dict[str, Any]) -> None:
    """Set the contact's attributes to exactly these (used when merging contacts)."""
    conn.execute("UPDATE contacts SET attributes = '{}' WHERE cid = ?", (cid,))
    conn.execute("DELETE FROM attribute_index WHERE cid = ?", (cid,))
    set_attributes(conn, cid, attributes)


def touch(conn: sqlite3.Connection, cid: str) -> None:
    """Mark the contact as modified now."""
    conn.execute("UPDATE contacts SET last_modified = ? WHERE cid = ?", (now_iso(), cid))


def attributes_of(conn: sqlite3.Connection, cid: str) -> dict[str, Any]:
    row = conn.execute("SELECT attributes FROM contacts WHERE cid = ?", (cid,)).fetchone()
    return from_json(row[0]) if row else {}


def email_of(conn: sqlite3.Connection, cid: str) -> tuple[str | None, str]:
    row = conn.execute("SELECT email, subscribe_status FROM contacts WHERE cid = ?", (cid,)).fetchone()
    return (row[0], row[1]) if row else (None, "none")


def list_names(conn: sqlite3.Connection, cid: str) -> list[str]:
    rows = conn.execute(
        "SELECT l.name FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.cid = ? ORDER BY l.id",
        (cid,),
    )
    return [name for (name,) in rows]


_COLUMNS = "cid, email, subscribe_status, attributes, created_at, last_modified"


def _record_from_row(conn: sqlite3.Connection, row: tuple) -> dict[str, Any]:
    cid, email, status, attributes, created_at, last_modified = row
    out: dict[str, Any] = {"cID": cid}
    out["channels"] = {"email": {"address": email, "subscribeStatus": status}} if email else {}
    out["attributes"] = from_json(attributes)
    out["lists"] = list_names(conn, cid)
    cart = carts.cart_of(conn, cid)
    if cart is not None:
        out["cart"] = cart
    out["createdAt"] = created_at
    out["lastModified"] = last_modified
    return out


def record(conn: sqlite3.Connection, cid: str) -> dict[str, Any]:
    """The contact as ``GET /v2/contacts/{key}`` shows it."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM contacts WHERE cid = ?", (cid,)).fetchone()
    if row is None:
        raise NotFound("record not found")
    return _record_from_row(conn, row)


def admin_record(conn: sqlite3.Connection, cid: str) -> dict[str, Any]:
    """The contact with what only the mock knows: the user and anonymous ids that select it."""
    out = record(conn, cid)
    aliases: dict[str, list[str]] = {"segmentId": [], "anonymousId": []}
    for kind, value in conn.execute(
        "SELECT kind, value FROM contact_aliases WHERE cid = ? ORDER BY kind, value", (cid,)
    ):
        aliases.setdefault(kind, []).append(value)
    out["segmentIds"] = aliases["segmentId"]
    out["anonymousIds"] = aliases["anonymousId"]
    return out


def all_ids(conn: sqlite3.Connection) -> list[str]:
    return [cid for (cid,) in conn.execute("SELECT cid FROM contacts ORDER BY seq")]


def list_records(
    conn: sqlite3.Connection,
    *,
    email: str | None,
    page: int,
    per_page: int,
    sort_by: str | None,
    sort_dir: str,
) -> tuple[list[dict[str, Any]], int]:
    """One page of contacts and the total count, optionally for one email and sorted by a field."""
    if email is not None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM contacts WHERE email = ?", (email,)).fetchall()
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM contacts ORDER BY seq").fetchall()
    records = [_record_from_row(conn, row) for row in rows]
    if sort_by:
        records = sort_records(records, _field_reader(sort_by), descending=sort_dir == "desc")
    elif sort_dir == "desc":
        records.reverse()
    return page_of(records, page, per_page), len(records)


def _field_reader(field: str):
    if field in ("email", "channels.email.address"):
        return lambda item: item["channels"].get("email", {}).get("address")
    return lambda item: item.get(field)


def delete(conn: sqlite3.Connection, cid: str) -> None:
    """Remove the contact with everything that is its own: keys, memberships, cart, orders, events."""
    for table in ("contacts", "contact_aliases", "attribute_index", "list_members", "orders", "activities"):
        conn.execute(f"DELETE FROM {table} WHERE cid = ?", (cid,))
    carts.clear(conn, cid)
