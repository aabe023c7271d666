"""Folding one contact into another: what survives is chosen field by field."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from mock_cordial.models import activities, carts, contacts, lists, orders

__all__ = ["MergeOptions", "INGEST_MERGE", "merge"]

SOURCE = "sourceContact"
DESTINATION = "destinationContact"
UNION = "union"
LAST_MODIFIED = "lastModified"


@dataclass(frozen=True)
class MergeOptions:
    """Which contact wins each part of the merge.

    ``email``/``attributes``: the side whose values win (attributes are a union,
    the winner decides conflicts; an email missing on the winner comes from the
    other side). ``lists``: one side's memberships, or ``union``. ``cart``: one
    side's cart or the one modified last. ``orders``/``events``: move the
    source's records to the destination, or leave them behind.
    """

    email: str = DESTINATION
    attributes: str = DESTINATION
    lists: str = UNION
    cart: str = LAST_MODIFIED
    orders: bool = True
    events: bool = True


#: What an ingest ``mergeContacts`` (a source alias) does: nothing of either contact is lost.
INGEST_MERGE = MergeOptions()


def merge(conn: sqlite3.Connection, source: str, destination: str, options: MergeOptions) -> None:
    """Fold ``source`` into ``destination`` and delete ``source``."""
    _merge_email(conn, source, destination, options.email)
    source_attrs = contacts.attributes_of(conn, source)
    destination_attrs = contacts.attributes_of(conn, destination)
    if options.attributes == SOURCE:
        merged = {**destination_attrs, **source_attrs}
    else:
        merged = {**source_attrs, **destination_attrs}
    _merge_lists(conn, source, destination, options.lists)
    _merge_cart(conn, source, destination, options.cart)
    if options.orders:
        orders.reassign(conn, source, destination)
    if options.events:
        activities.reassign(conn, source, destination)
    conn.execute("UPDATE contact_aliases SET cid = ? WHERE cid = ?", (destination, source))
    contacts.delete(conn, source)
    contacts.replace_attributes(conn, destination, merged)
    contacts.touch(conn, destination)


def _merge_email(conn: sqlite3.Connection, source: str, destination: str, winner: str) -> None:
    source_email, source_status = contacts.email_of(conn, source)
    destination_email, destination_status = contacts.email_of(conn, destination)
    if winner == SOURCE:
        chosen = (source_email, source_status) if source_email else (destination_email, destination_status)
    else:
        chosen = (
            (destination_email, destination_status) if destination_email else (source_email, source_status)
        )
    contacts.set_email(conn, source, None)
    contacts.set_email(conn, destination, chosen[0])
    contacts.set_subscribe_status(conn, destination, chosen[1])


def _merge_lists(conn: sqlite3.Connection, source: str, destination: str, winner: str) -> None:
    source_lists = [
        row[0] for row in conn.execute("SELECT list_id FROM list_members WHERE cid = ?", (source,))
    ]
    if winner == SOURCE:
        conn.execute("DELETE FROM list_members WHERE cid = ?", (destination,))
    if winner in (SOURCE, UNION):
        for list_id in source_lists:
            lists.add_member(conn, list_id, destination)


def _merge_cart(conn: sqlite3.Connection, source: str, destination: str, winner: str) -> None:
    source_time = carts.last_modified(conn, source)
    if source_time is None:
        return
    destination_time = carts.last_modified(conn, destination)
    take_source = winner == SOURCE or (
        winner == LAST_MODIFIED and (destination_time is None or source_time > destination_time)
    )
    if take_source:
        carts.move(conn, source, destination)
