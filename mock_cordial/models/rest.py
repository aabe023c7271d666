"""What each REST API v2 operation does to the state, given its decoded inputs.

The HTTP layer (``responses/rest_v2.py``) reads paths, query strings and
bodies and turns results into status codes; everything Cordial decides (which
contact a key names, what a body key means, what may not collide) is here.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from mock_cordial.models import activities, carts, contacts, lists, orders
from mock_cordial.models.contacts import RESERVED_ATTRIBUTES
from mock_cordial.models.errors import InvalidInput, NotFound
from mock_cordial.models.identity import identifier_for, parse_primary_key
from mock_cordial.models.merge import MergeOptions, merge
from mock_cordial.models.orders import DateRange
from mock_cordial.models.paging import project
from mock_cordial.models.values import is_whole, normalize_email

__all__ = [
    "save_contact",
    "update_contact",
    "merge_contacts",
    "set_cart",
    "clear_cart",
    "add_cart_item",
    "remove_cart_item",
    "add_activity",
    "list_activities",
    "add_order",
    "update_order",
    "list_orders",
    "get_order",
    "add_list",
    "update_list",
    "find_lists",
    "delete_contact",
    "list_id_from_path",
    "contact_for_email",
]

_CONTROL_KEYS = frozenset({"channels", "identifyBy", "suppressTriggers", "forceSubscribe"})


def _require_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be a JSON object")
    return value


def _email_channel(body: dict[str, Any]) -> tuple[str | None, Any]:
    """(address, subscribeStatus) from ``channels.email``; either may be None."""
    channels = body.get("channels")
    if channels is None:
        return None, None
    channels = _require_object(channels, "channels")
    email = channels.get("email")
    if email is None:
        return None, None
    email = _require_object(email, "channels.email")
    address = email.get("address")
    if address is not None:
        if not isinstance(address, str) or not address.strip():
            raise InvalidInput("channels.email.address must be a non-empty string")
        address = normalize_email(address)
    return address, email.get("subscribeStatus")


def _apply_contact_body(conn: sqlite3.Connection, cid: str, body: dict[str, Any]) -> None:
    """Channels, attributes and list memberships from a contact body.

    A key whose value is ``true``/``false`` and that names an existing list
    adds the contact to it or removes it; any other key is an attribute.
    """
    address, status = _email_channel(body)
    if address is not None:
        contacts.set_email(conn, cid, address)
    if status is not None:
        _, current = contacts.email_of(conn, cid)
        forced = body.get("forceSubscribe") is True
        if not (current == "unsubscribed" and status == "subscribed" and not forced):
            contacts.set_subscribe_status(conn, cid, status)
    updates: dict[str, Any] = {}
    for key, value in body.items():
        if key in _CONTROL_KEYS or key in RESERVED_ATTRIBUTES:
            continue
        if isinstance(value, bool):
            listed = lists.find_by_name(conn, key)
            if listed is not None:
                if value:
                    lists.add_member(conn, listed["id"], cid)
                else:
                    lists.remove_member(conn, listed["id"], cid)
                continue
        updates[key] = value
    contacts.set_attributes(conn, cid, updates)
    contacts.touch(conn, cid)


def _identify_by(conn: sqlite3.Connection, body: dict[str, Any], address: str | None) -> str | None:
    """The contact the body's ``identifyBy`` keys (or its email address) select."""
    keys = body.get("identifyBy")
    if keys is None:
        keys = ["email"]
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise InvalidInput("identifyBy must be an array of key names")
    for key in keys:
        if key in ("email", "channels.email.address"):
            value: Any = address
        else:
            value = body.get(key)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            continue  # a key without a usable value in the body selects nothing
        cid = contacts.find(conn, identifier_for(key, value))
        if cid is not None:
            return cid
    return None


def save_contact(conn: sqlite3.Connection, body: Any) -> tuple[str, bool]:
    """``POST /contacts``: update the contact the body identifies, or create it. Returns (cID, created)."""
    body = _require_object(body, "the contact")
    address, _ = _email_channel(body)
    cid = _identify_by(conn, body, address)
    created = cid is None
    if created:
        if address is None and body.get("identifyBy") is None:
            raise InvalidInput("channels.email.address is required to create a contact")
        cid = contacts.create(conn)
    _apply_contact_body(conn, cid, body)
    return cid, created


def update_contact(conn: sqlite3.Connection, primary_key: str, body: Any) -> None:
    """``PUT /contacts/{primary_key}``."""
    body = _require_object(body, "the contact")
    _apply_contact_body(conn, contacts.require(conn, primary_key), body)


_MERGE_CHOICES = {
    "email_channels": ("sourceContact", "destinationContact"),
    "sms_channels": ("sourceContact", "destinationContact"),
    "push_channels": ("merge", "ignore"),
    "orders": ("merge", "ignore"),
    "events": ("merge", "ignore"),
    "supplements": ("sourceContact", "destinationContact"),
    "cart": ("sourceContact", "destinationContact", "lastModified"),
    "attributes": ("sourceContact", "destinationContact"),
    "lists": ("sourceContact", "destinationContact"),
}


_MERGE_DEFAULTS = {
    "email_channels": "destinationContact",
    "attributes": "destinationContact",
    "lists": "destinationContact",
    "cart": "destinationContact",
    "orders": "merge",
    "events": "merge",
}


def merge_contacts(conn: sqlite3.Connection, body: Any) -> str:
    """``POST /contacts/merge``: done at once; returns a job id as Cordial's asynchronous merge does.

    Options left out take the default: the destination contact wins, orders
    and events are merged.
    """
    body = _require_object(body, "the merge request")
    sides = []
    for side in ("sourceContact", "destinationContact"):
        key = body.get(side)
        if not isinstance(key, str) or not key:
            raise InvalidInput(f"{side} is required: a contact key such as email:a@b.c or a cID")
        cid = contacts.find(conn, parse_primary_key(key))
        if cid is None:
            raise NotFound(f"{side} {key[:80]!r}: Contact doesn't exist")
        sides.append(cid)
    given = body.get("options")
    given = {} if given is None else _require_object(given, "options")
    unknown = sorted(set(given) - set(_MERGE_CHOICES))
    if unknown:
        raise InvalidInput(f"unknown merge options: {', '.join(unknown)}")
    options = {**_MERGE_DEFAULTS, **given}
    for name, choices in _MERGE_CHOICES.items():
        if name in options and options[name] not in choices:
            raise InvalidInput(f"options.{name} must be one of {', '.join(choices)}")
    source, destination = sides
    if source == destination:
        raise InvalidInput("sourceContact and destinationContact are the same contact")
    merge(
        conn,
        source,
        destination,
        MergeOptions(
            email=options["email_channels"],
            attributes=options["attributes"],
            lists=options["lists"],
            cart=options["cart"],
            orders=options["orders"] == "merge",
            events=options["events"] == "merge",
        ),
    )
    return os.urandom(12).hex()


_CART_DETAILS = ("mcID", "customerID", "linkID", "cartID", "url", "expiration", "tax")


def _cart_item(value: Any, where: str) -> dict[str, Any]:
    item = dict(_require_object(value, where))
    product_id = item.get("productID")
    if not isinstance(product_id, str) or not product_id:
        raise InvalidInput(f"{where}.productID is required")
    qty = item.get("qty", 1)
    if not is_whole(qty) or not 1 <= qty <= carts.MAX_QTY:
        raise InvalidInput(f"{where}.qty must be a whole number from 1 to {carts.MAX_QTY}")
    item["qty"] = int(qty)
    return item


def _contact(conn: sqlite3.Connection, primary_key: str) -> str:
    cid = contacts.find(conn, parse_primary_key(primary_key))
    if cid is None:
        raise NotFound(f"Contact doesn't exist: {primary_key[:80]}")
    return cid


def set_cart(conn: sqlite3.Connection, primary_key: str, body: Any) -> None:
    """``POST``/``PUT /contacts/{primary_key}/cart``: the cart becomes the body's."""
    cid = _contact(conn, primary_key)
    body = _require_object(body, "the cart")
    items = body.get("cartitems")
    if not isinstance(items, list):
        raise InvalidInput("cartitems must be an array")
    parsed = [_cart_item(item, f"cartitems[{i}]") for i, item in enumerate(items)]
    details = {key: body[key] for key in _CART_DETAILS if key in body}
    carts.replace(conn, cid, details, parsed)
    contacts.touch(conn, cid)


def clear_cart(conn: sqlite3.Connection, primary_key: str) -> None:
    cid = _contact(conn, primary_key)
    carts.clear(conn, cid)
    contacts.touch(conn, cid)


def add_cart_item(conn: sqlite3.Connection, primary_key: str, body: Any) -> dict[str, Any]:
    """``POST /contacts/{primary_key}/cartitems``: returns the item as the cart now holds it."""
    cid = _contact(conn, primary_key)
    item = _cart_item(body, "the cart item")
    qty = item.pop("qty")
    stored = carts.add_item(conn, cid, item, qty)
    contacts.touch(conn, cid)
    return stored or {**item, "qty": qty}


def remove_cart_item(conn: sqlite3.Connection, primary_key: str, product_id: str, qty: str, sku: str) -> None:
    """``DELETE /contacts/{primary_key}/cartitems/{productID}/{qty}/{sku}``."""
    if not qty.isascii() or not qty.isdigit() or not qty.strip("0"):
        raise InvalidInput(f"qty must be a whole number of at least 1, got {qty[:40]!r}")
    count = int(qty) if len(qty) <= 16 else carts.MAX_QTY  # more than any cart holds: all of it
    cid = _contact(conn, primary_key)
    if not carts.remove_quantity(conn, cid, product_id, count, sku or None):
        raise NotFound(f"product {product_id!r} is not in the cart")
    contacts.touch(conn, cid)


def contact_for_email(conn: sqlite3.Connection, email: str) -> str | None:
    """The cID for an ``email`` filter (None when no contact has it: the filter matches nothing)."""
    if not email.strip():
        return None
    return contacts.find(conn, identifier_for("email", email))


def add_activity(conn: sqlite3.Connection, body: Any) -> None:
    """``POST /contactactivities``; an event whose ``UID`` was already recorded is not added twice."""
    body = _require_object(body, "the activity")
    action = body.get("a")
    if not isinstance(action, str) or not action:
        raise InvalidInput("a (the action name) is required")
    if len(action) > 40:
        raise InvalidInput("a (the action name) must be at most 40 characters")
    primary_key = body.get("primaryKey")
    if not isinstance(primary_key, str) or not primary_key:
        raise InvalidInput("primaryKey is required, e.g. email:a@b.c")
    cid = _contact(conn, primary_key)
    uid = body.get("UID")
    if uid is not None:
        if not isinstance(uid, str):
            raise InvalidInput("UID must be a string")
        seen = conn.execute(
            "SELECT 1 FROM activities WHERE cid = ? AND json_extract(data, '$.UID') = ?", (cid, uid)
        ).fetchone()
        if seen is not None:
            return
    details: dict[str, Any] = {}
    properties = body.get("properties")
    if properties is not None:
        details["properties"] = activities.clean_properties(_require_object(properties, "properties"))
    for key in ("UID", "mcID", "mdtID", "bmID"):
        if isinstance(body.get(key), str):
            details[key] = body[key]
    when = body.get("ats")
    if when is not None and not isinstance(when, str):
        raise InvalidInput("ats must be a date string")
    activities.append(conn, cid, action, when, details)


def list_activities(
    conn: sqlite3.Connection, query: dict[str, str | None], contact_fields: list[str], per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """``GET /contactactivities`` with its filters; ``contactFields`` adds contact attributes to each."""
    cid = None
    if query.get("email") is not None:
        cid = contact_for_email(conn, query["email"])
        if cid is None:
            return [], 0
    events, total = activities.list_activities(
        conn,
        cid=cid,
        action=query.get("action"),
        times=DateRange.from_query(query, "time"),
        mc_id=query.get("mcID"),
        mdt_id=query.get("mdtID"),
        per_page=per_page,
    )
    if contact_fields:
        cache: dict[str, dict[str, Any]] = {}
        for event in events:
            owner = event.get("cID")
            if owner not in cache:
                try:
                    cache[owner] = contacts.record(conn, owner)
                except NotFound:
                    cache[owner] = {}
            for name in contact_fields:
                if name in cache[owner] and name not in event:
                    event[name] = cache[owner][name]
    return events, total


_ORDER_CONTROL = ("suppressTriggers",)


def _order_fields(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
    order = {k: v for k, v in body.items() if k not in _ORDER_CONTROL}
    if "cID" in order:
        cid = order["cID"]
        if not isinstance(cid, str):
            raise InvalidInput("cID must be a string")
        if contacts.find(conn, identifier_for("cID", cid)) is None:
            # A missing contact is a missing record, as for activities, carts and merges.
            raise NotFound(f"cID {cid[:60]!r}: Contact doesn't exist")
    items = order.get("items")
    if items is not None and (not isinstance(items, list) or not all(isinstance(i, dict) for i in items)):
        raise InvalidInput("items must be an array of objects")
    return order


def add_order(conn: sqlite3.Connection, body: Any) -> None:
    """``POST /orders``: a new order for an existing contact."""
    body = _require_object(body, "the order")
    for key in ("orderID", "purchaseDate", "cID"):
        if not isinstance(body.get(key), str):
            raise InvalidInput(f"{key} is required (a string)")
    if not body["orderID"]:
        raise InvalidInput("orderID must not be empty")
    orders.create(conn, _order_fields(conn, body))


def update_order(conn: sqlite3.Connection, order_id: str, body: Any) -> None:
    """``PUT /orders/{id}``: change the given fields."""
    body = _require_object(body, "the order")
    changes = _order_fields(conn, {k: v for k, v in body.items() if k != "orderID"})
    orders.update(conn, order_id, changes)


def get_order(conn: sqlite3.Connection, order_id: str, fields: str | None) -> dict[str, Any]:
    return project(orders.get(conn, order_id), fields, "orderID")


def list_orders(
    conn: sqlite3.Connection, query: dict[str, str | None], page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """``GET /orders`` with its contact and purchase-date filters."""
    cid = query.get("cID")
    if cid is None and query.get("email") is not None:
        cid = contact_for_email(conn, query["email"])
        if cid is None:
            return [], 0
    found, total = orders.list_orders(
        conn,
        cid=cid,
        purchase=DateRange.from_query(query, "purchaseDate"),
        page=page,
        per_page=per_page,
        sort_by=query.get("sort_by"),
        sort_dir=query.get("sort_dir") or "asc",
    )
    return [project(order, query.get("fields"), "orderID") for order in found], total


def _list_body(body: Any, require_name: bool) -> tuple[str | None, bool | None]:
    if body is None and not require_name:
        return None, None
    body = _require_object(body, "the list")
    name = body.get("name")
    if name is None and require_name:
        raise InvalidInput("name is required")
    if name is not None:
        lists.validate_name(name)
    enhanced = body.get("enhanced")
    if enhanced is not None and not isinstance(enhanced, bool):
        raise InvalidInput("enhanced must be true or false")
    return name, enhanced


def add_list(conn: sqlite3.Connection, body: Any) -> int:
    """``POST /accountlists``: returns the new list's id."""
    name, enhanced = _list_body(body, require_name=True)
    return lists.create(conn, name, bool(enhanced))


def list_id_from_path(text: str, missing: NotFound) -> int:
    """The list id in a path; a value that is not a list id names no list."""
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise missing
    return int(text)


def update_list(conn: sqlite3.Connection, list_id_text: str, body: Any) -> dict[str, Any]:
    """``PUT /accountlists/{id}``: rename and/or switch date tracking."""
    list_id = list_id_from_path(list_id_text, NotFound("List is not found", error_key="GENERIC_ERROR_KEY"))
    name, enhanced = _list_body(body, require_name=False)
    try:
        return lists.update(conn, list_id, name, enhanced)
    except NotFound:
        raise NotFound("List is not found", error_key="GENERIC_ERROR_KEY") from None


def find_lists(conn: sqlite3.Connection, name: str | None) -> list[dict[str, Any]]:
    """Every list, or only the one with this name (none when there is no such list)."""
    if name is None:
        return lists.list_all(conn)
    found = lists.find_by_name(conn, name)
    return [found] if found else []


def delete_contact(conn: sqlite3.Connection, primary_key: str) -> None:
    contacts.delete(conn, contacts.require(conn, primary_key))
