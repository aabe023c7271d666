"""What each ingest call (``POST /api/segment/<action>``) does to Cordial's data.

Bodies are the ones the destination sends (identity keys, then the action's
keys). Values are checked here too, so a body that strict validation would
have rejected still gets a clear 422 instead of a half-applied change.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from mock_cordial.models import activities, carts, contacts, lists, orders
from mock_cordial.models.contacts import RESERVED_ATTRIBUTES
from mock_cordial.models.errors import InvalidInput
from mock_cordial.models.identity import (
    ALIAS,
    ANONYMOUS_ID,
    SEGMENT_ID,
    Identifier,
    identifier_for,
    identifiers_from_ingest,
    optional_text,
)
from mock_cordial.models.merge import INGEST_MERGE, merge
from mock_cordial.models.values import is_whole, scalar_text

__all__ = ["ACTIONS", "resolve_contact"]


def resolve_contact(conn: sqlite3.Connection, body: dict[str, Any], create: bool) -> str | None:
    """The contact the body's identity keys select, created when none does and ``create`` is set.

    A body without any identity selects nothing, so it creates a contact known
    only by its cID (production sends such bodies for events without ids).
    """
    identifiers = identifiers_from_ingest(body)
    held_by = contacts.holders(conn, identifiers)
    cid = next((holder for holder in held_by if holder is not None), None)
    unheld = [ident for ident, holder in zip(identifiers, held_by, strict=True) if holder is None]
    if cid is None:
        return contacts.create(conn, unheld) if create else None
    if unheld and contacts.attach(conn, cid, unheld):
        contacts.touch(conn, cid)
    return cid


def _required_text(body: dict[str, Any], key: str) -> str:
    """A key the action needs; an empty string is a value (production can send one)."""
    value = body.get(key)
    if value is None:
        raise InvalidInput(f"{key} is required")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InvalidInput(f"{key} must be a string, got {type(value).__name__}")
    return scalar_text(value)


def _text_field(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be a string, got {type(value).__name__}")
    return value


def _number_field(body: dict[str, Any], key: str, required: bool = False) -> float | int | None:
    value = body.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{key} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{key} must be a number, got {type(value).__name__}")
    return value


def _object_field(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"{key} must be an object, got {type(value).__name__}")
    return value


def _quantity(body: dict[str, Any], key: str = "qty") -> int:
    """A whole number (negative ones too: quantities are plain arithmetic), capped at what a cart holds."""
    value = body.get(key)
    if value is None:
        raise InvalidInput(f"{key} is required")
    if not is_whole(value):
        raise InvalidInput(f"{key} must be a whole number, got {value!r}"[:200])
    return max(-carts.MAX_QTY, min(int(value), carts.MAX_QTY))


def create_contact_activity(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    action = _required_text(body, "action")
    when = body.get("time")
    if when is not None and (isinstance(when, bool) or not isinstance(when, (str, int, float))):
        raise InvalidInput(f"time must be a date string or a number, got {type(when).__name__}")
    details: dict[str, Any] = {}
    properties = _object_field(body, "properties")
    if properties is not None:
        details["properties"] = activities.clean_properties(properties)
    context = _object_field(body, "context")
    if context is not None:
        details["context"] = context
    cid = resolve_contact(conn, body, create=True)
    activities.append(conn, cid, action, when, details)


def upsert_contact(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    attributes = _object_field(body, "attributes") or {}
    cid = resolve_contact(conn, body, create=True)
    updates: dict[str, Any] = {}
    for name, value in attributes.items():
        if name in ("channels.email.address", "email"):
            email = identifier_for("email", value)
            if email is not None and contacts.find(conn, email) is None:
                contacts.set_email(conn, cid, email.value)  # an address another contact has stays there
        elif name == "channels.email.subscribeStatus":
            if value in contacts.SUBSCRIBE_STATUSES:  # anything else is not a status: ignored
                contacts.set_subscribe_status(conn, cid, value)
        elif name.startswith("channels.") or name in RESERVED_ATTRIBUTES:
            continue  # not an attribute the account can have
        else:
            updates[name] = value
    contacts.set_attributes(conn, cid, updates)
    contacts.touch(conn, cid)


def add_contact_to_list(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    group_id = _required_text(body, "groupId")
    list_name = (_text_field(body, "listName") or "").strip() or f"segment_{group_id}"
    cid = resolve_contact(conn, body, create=True)
    lists.add_member(conn, lists.ensure(conn, list_name, group_id), cid)
    contacts.touch(conn, cid)


def remove_contact_from_list(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    group_id = _required_text(body, "groupId")
    cid = resolve_contact(conn, body, create=False)
    if cid is None:
        return
    for list_id in lists.ids_for_group(conn, group_id):
        lists.remove_member(conn, list_id, cid)
    contacts.touch(conn, cid)


_CART_TEXT_FIELDS = ("sku", "category", "name", "description", "url")


def add_product_to_cart(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    item: dict[str, Any] = {"productID": _required_text(body, "productID")}
    qty = _quantity(body)
    for key in _CART_TEXT_FIELDS:
        value = _text_field(body, key)
        if value is not None:
            item[key] = value
    price = _number_field(body, "itemPrice")
    if price is not None:
        item["itemPrice"] = price
    image = _text_field(body, "imageUrl")
    if image:
        item["images"] = [image]
    properties = _object_field(body, "properties")
    if properties is not None:
        item["properties"] = properties
    cid = resolve_contact(conn, body, create=True)
    carts.add_item(conn, cid, item, qty)


def remove_product_from_cart(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    product_id = _required_text(body, "productID")
    qty = _quantity(body)
    cid = resolve_contact(conn, body, create=False)
    if cid is not None:
        carts.remove_quantity(conn, cid, product_id, qty)


def _order_item(item: Any, index: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InvalidInput(f"items[{index}] must be an object, got {type(item).__name__}")
    converted = {k: v for k, v in item.items() if k != "imageUrl"}
    image = item.get("imageUrl")
    if isinstance(image, str) and image:
        converted["images"] = [image]
    return converted


def upsert_order(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    order_id = _required_text(body, "orderID")
    purchase_date = body.get("purchaseDate")
    if purchase_date is None:
        raise InvalidInput("purchaseDate is required")
    if isinstance(purchase_date, bool) or not isinstance(purchase_date, (str, int, float)):
        raise InvalidInput(
            f"purchaseDate must be a date string or a number, got {type(purchase_date).__name__}"
        )
    items = body.get("items")
    if items is not None and not isinstance(items, list):
        raise InvalidInput(f"items must be an array, got {type(items).__name__}")
    order: dict[str, Any] = {"orderID": order_id, "purchaseDate": purchase_date}
    status = _text_field(body, "status")
    if status is not None:
        order["status"] = status
    total = _number_field(body, "totalAmount")
    if total is not None:
        order["totalAmount"] = total
    properties = _object_field(body, "properties")
    if properties is not None:
        order["properties"] = properties
    order["items"] = [_order_item(item, i) for i, item in enumerate(items or [])]
    discount = _object_field(body, "discountApplication")
    if discount is not None:
        order["discountApplication"] = discount
    order["cID"] = resolve_contact(conn, body, create=True)
    orders.upsert(conn, order)


def merge_contacts(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    """An alias: the contact known by ``previousId`` and the one known by the new ids are one person."""
    previous_id = _required_text(body, "previousId")
    key = optional_text(body, "segmentIdKey")
    segment_id = optional_text(body, "segmentId")
    anonymous_id = optional_text(body, "anonymousId")
    previous: list[Identifier] = []
    if previous_id.strip():  # an empty previous id names no contact: nothing to fold
        previous = [Identifier(ALIAS, SEGMENT_ID, previous_id), Identifier(ALIAS, ANONYMOUS_ID, previous_id)]
        if key is not None:
            by_key = identifier_for(key, previous_id)
            if by_key is not None:
                previous.insert(1, by_key)
    current: list[Identifier] = []
    if segment_id is not None:
        by_key = identifier_for(key, segment_id) if key is not None else None
        if by_key is not None:
            current.append(by_key)
        current.append(Identifier(ALIAS, SEGMENT_ID, segment_id, segment_id))
    if anonymous_id is not None:
        current.append(Identifier(ALIAS, ANONYMOUS_ID, anonymous_id, anonymous_id))
    source = contacts.find_first(conn, previous)
    destination = contacts.find_first(conn, current)
    if source is not None and destination is not None and source != destination:
        merge(conn, source, destination, INGEST_MERGE)
        return
    if source is not None:  # no other contact has the new ids (or it is this one): it takes them
        owner, gained = source, current
    elif destination is not None:
        # previousId names the same person from now on (not the user id attribute: that keeps the new id)
        owner, gained = destination, [ident for ident in previous if ident.kind == ALIAS]
    else:
        return
    if contacts.attach(conn, owner, gained):
        contacts.touch(conn, owner)


#: action name -> what the call does
ACTIONS = {
    "createContactactivity": create_contact_activity,
    "upsertContact": upsert_contact,
    "addContactToList": add_contact_to_list,
    "removeContactFromList": remove_contact_from_list,
    "addProductToCart": add_product_to_cart,
    "removeProductFromCart": remove_product_from_cart,
    "upsertOrder": upsert_order,
    "mergeContacts": merge_contacts,
}
