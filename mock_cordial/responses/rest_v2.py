"""The REST API v2 slice: contacts, carts, contact activities, orders and account lists."""

from __future__ import annotations

import sqlite3

from mock_cordial.models import contacts, lists, orders, rest
from mock_cordial.models.errors import InvalidInput, NotFound
from mock_cordial.models.values import normalize_email, positive_int
from mock_cordial.responses.base import Answer, Call, Endpoint

__all__ = ["ENDPOINTS", "DEFAULT_PER_PAGE", "MAX_PER_PAGE"]

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 10_000
SUCCESS = {"success": True}


def _paging(call: Call) -> tuple[int, int]:
    return (
        positive_int(call.arg("page"), 1, "page"),
        positive_int(call.arg("per_page"), DEFAULT_PER_PAGE, "per_page", maximum=MAX_PER_PAGE),
    )


def _sort_dir(call: Call) -> str:
    direction = call.arg("sort_dir") or "asc"
    if direction not in ("asc", "desc"):
        raise InvalidInput(f"sort_dir must be asc or desc, got {direction[:40]!r}")
    return direction


def _listing(items: list, total: int, call: Call) -> Answer:
    headers = {"X-Total-Count": str(total)} if call.flag("return_count") else {}
    return Answer(200, items, headers)


# -- contacts -----------------------------------------------------------------


def create_contact(conn: sqlite3.Connection, call: Call) -> Answer:
    cid, created = rest.save_contact(conn, call.body)
    if created:
        return Answer(201, {"success": True, "message": "contact created", "cID": cid})
    return Answer(200, {"success": True, "message": "contact updated", "cID": cid})


def list_contacts(conn: sqlite3.Connection, call: Call) -> Answer:
    page, per_page = _paging(call)
    email = call.arg("email")
    records, total = contacts.list_records(
        conn,
        email=normalize_email(email) if email is not None else None,
        page=page,
        per_page=per_page,
        sort_by=call.arg("sort_by"),
        sort_dir=_sort_dir(call),
    )
    return _listing(records, total, call)


def merge_contacts(conn: sqlite3.Connection, call: Call) -> Answer:
    job_id = rest.merge_contacts(conn, call.body)
    return Answer(201, {"jobID": job_id, "message": "the contacts were merged"})


def get_contact(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, contacts.record(conn, contacts.require(conn, call.path_params["primaryKey"])))


def update_contact(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.update_contact(conn, call.path_params["primaryKey"], call.body)
    return Answer(200, SUCCESS)


def delete_contact(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.delete_contact(conn, call.path_params["primaryKey"])
    return Answer(200, SUCCESS)


# -- carts --------------------------------------------------------------------


def set_cart(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.set_cart(conn, call.path_params["primaryKey"], call.body)
    return Answer(200, SUCCESS)


def clear_cart(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.clear_cart(conn, call.path_params["primaryKey"])
    return Answer(200, SUCCESS)


def add_cart_item(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, rest.add_cart_item(conn, call.path_params["primaryKey"], call.body))


def remove_cart_item(conn: sqlite3.Connection, call: Call) -> Answer:
    params = call.path_params
    rest.remove_cart_item(conn, params["primaryKey"], params["productID"], params["qty"], params["sku"])
    return Answer(200, SUCCESS)


# -- contact activities ---------------------------------------------------------

_ACTIVITY_FILTERS = (
    "time",
    "time[lt]",
    "time[gt]",
    "time[lte]",
    "time[gte]",
    "action",
    "email",
    "mcID",
    "mdtID",
)


def add_activity(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.add_activity(conn, call.body)
    return Answer(201, SUCCESS)


def list_activities(conn: sqlite3.Connection, call: Call) -> Answer:
    per_page = positive_int(call.arg("per_page"), DEFAULT_PER_PAGE, "per_page", maximum=MAX_PER_PAGE)
    fields = [name for value in call.query.getlist("contactFields") for name in value.split(",") if name]
    events, total = rest.list_activities(conn, call.args(_ACTIVITY_FILTERS), fields, per_page)
    return _listing(events, total, call)


# -- orders -------------------------------------------------------------------

_ORDER_FILTERS = (
    "fields",
    "cID",
    "email",
    "purchaseDate",
    "purchaseDate[lt]",
    "purchaseDate[gt]",
    "purchaseDate[lte]",
    "purchaseDate[gte]",
    "sort_by",
    "sort_dir",
)


def create_order(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.add_order(conn, call.body)
    return Answer(200, SUCCESS)


def list_orders(conn: sqlite3.Connection, call: Call) -> Answer:
    page, per_page = _paging(call)
    _sort_dir(call)
    found, total = rest.list_orders(conn, call.args(_ORDER_FILTERS), page, per_page)
    return _listing(found, total, call)


def get_order(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, rest.get_order(conn, call.path_params["orderID"], call.arg("fields")))


def update_order(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.update_order(conn, call.path_params["orderID"], call.body)
    return Answer(200, SUCCESS)


def delete_order(conn: sqlite3.Connection, call: Call) -> Answer:
    orders.delete(conn, call.path_params["orderID"])
    return Answer(200, SUCCESS)


# -- account lists --------------------------------------------------------------


def _list_id(call: Call) -> int:
    return rest.list_id_from_path(
        call.path_params["id"], NotFound("List does not exist", error_key="ACCOUNT_LISTS_NOT_FOUND")
    )


def create_list(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, {"success": True, "id": rest.add_list(conn, call.body)})


def list_lists(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, rest.find_lists(conn, call.arg("name")))


def get_list(conn: sqlite3.Connection, call: Call) -> Answer:
    return Answer(200, lists.get(conn, _list_id(call)))


def update_list(conn: sqlite3.Connection, call: Call) -> Answer:
    rest.update_list(conn, call.path_params["id"], call.body)
    return Answer(200, SUCCESS)


def delete_list(conn: sqlite3.Connection, call: Call) -> Answer:
    lists.delete(conn, _list_id(call))
    return Answer(200, SUCCESS)


_CONTACT = "/v2/contacts/{primaryKey}"


def _endpoint(name: str, method: str, rule: str, handler, writes: bool) -> Endpoint:
    return Endpoint("rest-v2", name, method, rule, handler, writes)


ENDPOINTS = [
    _endpoint("createContact", "POST", "/v2/contacts", create_contact, True),
    _endpoint("listContacts", "GET", "/v2/contacts", list_contacts, False),
    _endpoint("mergeContacts", "POST", "/v2/contacts/merge", merge_contacts, True),
    _endpoint("getContact", "GET", _CONTACT, get_contact, False),
    _endpoint("updateContact", "PUT", _CONTACT, update_contact, True),
    _endpoint("deleteContact", "DELETE", _CONTACT, delete_contact, True),
    _endpoint("setContactCart", "POST", f"{_CONTACT}/cart", set_cart, True),
    _endpoint("updateContactCart", "PUT", f"{_CONTACT}/cart", set_cart, True),
    _endpoint("clearContactCart", "DELETE", f"{_CONTACT}/cart", clear_cart, True),
    _endpoint("addContactCartItem", "POST", f"{_CONTACT}/cartitems", add_cart_item, True),
    _endpoint(
        "removeContactCartItem",
        "DELETE",
        _CONTACT + "/cartitems/{productID}/{qty}/{sku}",
        remove_cart_item,
        True,
    ),
    _endpoint("createContactActivity", "POST", "/v2/contactactivities", add_activity, True),
    _endpoint("listContactActivities", "GET", "/v2/contactactivities", list_activities, False),
    _endpoint("createOrder", "POST", "/v2/orders", create_order, True),
    _endpoint("listOrders", "GET", "/v2/orders", list_orders, False),
    _endpoint("getOrder", "GET", "/v2/orders/{orderID}", get_order, False),
    _endpoint("updateOrder", "PUT", "/v2/orders/{orderID}", update_order, True),
    _endpoint("deleteOrder", "DELETE", "/v2/orders/{orderID}", delete_order, True),
    _endpoint("createAccountList", "POST", "/v2/accountlists", create_list, True),
    _endpoint("listAccountLists", "GET", "/v2/accountlists", list_lists, False),
    _endpoint("getAccountList", "GET", "/v2/accountlists/{id}", get_list, False),
    _endpoint("updateAccountList", "PUT", "/v2/accountlists/{id}", update_list, True),
    _endpoint("deleteAccountList", "DELETE", "/v2/accountlists/{id}", delete_list, True),
]
