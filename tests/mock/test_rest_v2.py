"""The REST API v2 slice: every operation, its answers and its errors."""

from __future__ import annotations

import pytest

from tests.mock.conftest import contact


def new_contact(mock, email="ada@example.com", **attributes):
    answer = mock.rest.post("/contacts", json={"channels": {"email": {"address": email}}, **attributes})
    assert answer.status_code == 201, answer.text
    return answer.json()["cID"]


def item(product_id="p-1", **fields):
    return {"productID": product_id, "sku": f"SKU-{product_id}", "category": "c", "name": "n", **fields}


def assert_problem(answer, status, text=None):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status
    assert body["error"] is True
    if text is not None:
        assert text in body["detail"]
    return body


# -- contacts -------------------------------------------------------------------------


def test_create_contact_then_read_it_back(cordial_mock):
    answer = cordial_mock.rest.post(
        "/contacts",
        json={
            "channels": {"email": {"address": "Ada@Example.com", "subscribeStatus": "subscribed"}},
            "age": 36,
        },
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["success"] is True and body["message"] == "contact created"
    shown = contact(cordial_mock, "email:ada@example.com")
    assert shown["cID"] == body["cID"]
    assert shown["channels"]["email"] == {"address": "ada@example.com", "subscribeStatus": "subscribed"}
    assert shown["attributes"] == {"age": 36}
    assert shown["lists"] == []


def test_posting_an_existing_email_updates_that_contact(cordial_mock):
    cid = new_contact(cordial_mock, age=1)
    answer = cordial_mock.rest.post(
        "/contacts", json={"channels": {"email": {"address": "ada@example.com"}}, "age": 2}
    )
    assert answer.status_code == 200
    assert answer.json() == {"success": True, "message": "contact updated", "cID": cid}
    assert contact(cordial_mock, cid)["attributes"] == {"age": 2}


def test_identify_by_a_secondary_key(cordial_mock):
    cid = new_contact(cordial_mock, custID="C-9")
    answer = cordial_mock.rest.post(
        "/contacts",
        json={
            "channels": {"email": {"address": "new@example.com"}},
            "custID": "C-9",
            "identifyBy": ["custID"],
        },
    )
    assert answer.status_code == 200
    assert answer.json()["cID"] == cid
    assert contact(cordial_mock, "custID:C-9")["channels"]["email"]["address"] == "new@example.com"


def test_boolean_keys_naming_a_list_set_membership(cordial_mock):
    cordial_mock.rest.post("/accountlists", json={"name": "weekly"})
    cid = new_contact(cordial_mock, weekly=True)
    assert contact(cordial_mock, cid)["lists"] == ["weekly"]
    cordial_mock.rest.put(f"/contacts/{cid}", json={"weekly": False, "vip": True})
    shown = contact(cordial_mock, cid)
    assert shown["lists"] == []
    assert shown["attributes"] == {"vip": True}  # no list is called vip: an attribute


def test_list_contacts_pages_sorts_and_counts(cordial_mock):
    for n in range(5):
        new_contact(cordial_mock, f"c{n}@example.com", rank=5 - n)
    page = cordial_mock.rest.get("/contacts", params={"per_page": 2, "page": 2, "return_count": "true"})
    assert page.status_code == 200
    assert [c["channels"]["email"]["address"] for c in page.json()] == ["c2@example.com", "c3@example.com"]
    assert page.headers["x-total-count"] == "5"
    desc = cordial_mock.rest.get("/contacts", params={"sort_by": "email", "sort_dir": "desc", "per_page": 1})
    assert desc.json()[0]["channels"]["email"]["address"] == "c4@example.com"
    assert "x-total-count" not in desc.headers


def test_list_contacts_by_email(cordial_mock):
    new_contact(cordial_mock, "a@example.com")
    new_contact(cordial_mock, "b@example.com")
    found = cordial_mock.rest.get("/contacts", params={"email": "B@example.com"}).json()
    assert [c["channels"]["email"]["address"] for c in found] == ["b@example.com"]
    assert cordial_mock.rest.get("/contacts", params={"email": "nobody@example.com"}).json() == []


def test_update_contact_changes_email_and_subscribe_status(cordial_mock):
    cid = new_contact(cordial_mock)
    answer = cordial_mock.rest.put(
        "/contacts/email:ada@example.com",
        json={"channels": {"email": {"address": "ada@new.example", "subscribeStatus": "unsubscribed"}}},
    )
    assert answer.status_code == 200 and answer.json() == {"success": True}
    shown = contact(cordial_mock, cid)
    assert shown["channels"]["email"] == {"address": "ada@new.example", "subscribeStatus": "unsubscribed"}
    # resubscribing needs forceSubscribe
    cordial_mock.rest.put(
        f"/contacts/{cid}",
        json={"channels": {"email": {"address": "ada@new.example", "subscribeStatus": "subscribed"}}},
    )
    assert contact(cordial_mock, cid)["channels"]["email"]["subscribeStatus"] == "unsubscribed"
    cordial_mock.rest.put(
        f"/contacts/{cid}",
        json={
            "channels": {"email": {"address": "ada@new.example", "subscribeStatus": "subscribed"}},
            "forceSubscribe": True,
        },
    )
    assert contact(cordial_mock, cid)["channels"]["email"]["subscribeStatus"] == "subscribed"


def test_update_to_an_email_another_contact_has_is_a_conflict(cordial_mock):
    new_contact(cordial_mock, "a@example.com")
    new_contact(cordial_mock, "b@example.com")
    answer = cordial_mock.rest.put(
        "/contacts/email:b@example.com", json={"channels": {"email": {"address": "a@example.com"}}}
    )
    assert_problem(answer, 409, "belongs to another contact")


def test_delete_contact_removes_it_with_its_cart_orders_and_events(cordial_mock):
    cid = new_contact(cordial_mock)
    cordial_mock.rest.post(f"/contacts/{cid}/cartitems", json=item())
    cordial_mock.rest.post(
        "/orders", json={"orderID": "o-1", "cID": cid, "purchaseDate": "2026-01-01T00:00:00Z"}
    )
    cordial_mock.rest.post("/contactactivities", json={"a": "open", "primaryKey": f"cID:{cid}"})
    answer = cordial_mock.rest.delete(f"/contacts/cID:{cid}")
    assert answer.status_code == 200
    assert_problem(cordial_mock.rest.get(f"/contacts/{cid}"), 404)
    assert cordial_mock.state() == {"contacts": [], "lists": [], "carts": {}, "orders": [], "activities": []}


@pytest.mark.parametrize(
    "key", ["email:nobody@example.com", "cID:000000000000000000000000", "custID:nope", "x@y.z"]
)
def test_unknown_contacts_are_404_for_every_contact_operation(cordial_mock, key):
    rest = cordial_mock.rest
    assert_problem(rest.get(f"/contacts/{key}"), 404)
    assert_problem(rest.put(f"/contacts/{key}", json={"a": 1}), 404)
    assert_problem(rest.delete(f"/contacts/{key}"), 404)
    assert_problem(rest.post(f"/contacts/{key}/cart", json={"cartitems": []}), 404)
    assert_problem(rest.put(f"/contacts/{key}/cart", json={"cartitems": []}), 404)
    assert_problem(rest.delete(f"/contacts/{key}/cart"), 404)
    assert_problem(rest.post(f"/contacts/{key}/cartitems", json=item()), 404)
    assert_problem(rest.delete(f"/contacts/{key}/cartitems/p/1/s"), 404)


def test_merge_contacts_with_options(cordial_mock):
    source = new_contact(cordial_mock, "s@example.com", color="red", only_source=1)
    destination = new_contact(cordial_mock, "d@example.com", color="blue")
    cordial_mock.rest.post(f"/contacts/{source}/cartitems", json=item("from-source"))
    cordial_mock.rest.post("/contactactivities", json={"a": "open", "primaryKey": "email:s@example.com"})
    answer = cordial_mock.rest.post(
        "/contacts/merge",
        json={
            "sourceContact": "email:s@example.com",
            "destinationContact": f"cID:{destination}",
            "options": {
                "attributes": "sourceContact",
                "cart": "sourceContact",
                "email_channels": "destinationContact",
            },
        },
    )
    assert answer.status_code == 201
    assert set(answer.json()) == {"jobID", "message"}
    assert_problem(cordial_mock.rest.get(f"/contacts/{source}"), 404)
    merged = contact(cordial_mock, destination)
    assert merged["attributes"] == {"color": "red", "only_source": 1}
    assert merged["channels"]["email"]["address"] == "d@example.com"
    assert [i["productID"] for i in merged["cart"]["cartitems"]] == ["from-source"]
    assert cordial_mock.rest.get("/contactactivities").json()[0]["cID"] == destination


def test_merge_refuses_unknown_and_identical_contacts(cordial_mock):
    cid = new_contact(cordial_mock)
    assert_problem(
        cordial_mock.rest.post("/contacts/merge", json={"sourceContact": "x@y.z", "destinationContact": cid}),
        404,
    )
    assert_problem(
        cordial_mock.rest.post("/contacts/merge", json={"sourceContact": cid, "destinationContact": cid}),
        422,
        "same contact",
    )


# -- carts ------------------------------------------------------------------------------


def test_cart_post_put_delete(cordial_mock):
    cid = new_contact(cordial_mock)
    answer = cordial_mock.rest.post(
        f"/contacts/{cid}/cart",
        json={"cartID": "cart-1", "cartitems": [item("a", qty=2, itemPrice=1.5), item("b")]},
    )
    assert answer.status_code == 200 and answer.json() == {"success": True}
    cart = contact(cordial_mock, cid)["cart"]
    assert cart["cartID"] == "cart-1"
    assert [(i["productID"], i["qty"]) for i in cart["cartitems"]] == [("a", 2), ("b", 1)]
    assert cart["totalAmount"] == 3.0
    cordial_mock.rest.put(f"/contacts/{cid}/cart", json={"cartitems": [item("c", qty=4)]})
    assert [(i["productID"], i["qty"]) for i in contact(cordial_mock, cid)["cart"]["cartitems"]] == [("c", 4)]
    assert cordial_mock.rest.delete(f"/contacts/{cid}/cart").json() == {"success": True}
    assert "cart" not in contact(cordial_mock, cid)


def test_cart_items_add_by_product_and_remove_by_quantity(cordial_mock):
    cid = new_contact(cordial_mock)
    first = cordial_mock.rest.post(f"/contacts/{cid}/cartitems", json=item("p", qty=2))
    assert first.status_code == 200 and first.json()["qty"] == 2
    second = cordial_mock.rest.post(f"/contacts/{cid}/cartitems", json=item("p", name="renamed"))
    assert second.json()["qty"] == 3 and second.json()["name"] == "renamed"
    assert cordial_mock.rest.delete(f"/contacts/{cid}/cartitems/p/2/SKU-p").status_code == 200
    assert contact(cordial_mock, cid)["cart"]["cartitems"][0]["qty"] == 1
    assert_problem(
        cordial_mock.rest.delete(f"/contacts/{cid}/cartitems/p/1/OTHER-SKU"), 404, "not in the cart"
    )
    assert_problem(cordial_mock.rest.delete(f"/contacts/{cid}/cartitems/missing/1/s"), 404)
    cordial_mock.rest.delete(f"/contacts/{cid}/cartitems/p/5/SKU-p")
    assert contact(cordial_mock, cid)["cart"]["cartitems"] == []


# -- contact activities ------------------------------------------------------------------


def test_activities_post_and_filter(cordial_mock):
    cid = new_contact(cordial_mock)
    other = new_contact(cordial_mock, "o@example.com")
    post = cordial_mock.rest.post
    assert (
        post(
            "/contactactivities",
            json={"a": "open", "primaryKey": "email:ada@example.com", "ats": "2026-01-01T00:00:00Z"},
        ).status_code
        == 201
    )
    post(
        "/contactactivities",
        json={
            "a": "click",
            "primaryKey": f"cID:{cid}",
            "ats": "2026-02-01T00:00:00Z",
            "properties": {"k": 1},
        },
    )
    post(
        "/contactactivities",
        json={"a": "open", "primaryKey": "email:o@example.com", "ats": "2026-03-01T00:00:00Z", "mcID": "m-1"},
    )
    get = cordial_mock.rest.get
    assert [e["action"] for e in get("/contactactivities").json()] == ["open", "click", "open"]
    assert [e["cID"] for e in get("/contactactivities", params={"action": "open"}).json()] == [other, cid]
    assert [e["action"] for e in get("/contactactivities", params={"email": "ada@example.com"}).json()] == [
        "click",
        "open",
    ]
    after = get("/contactactivities", params={"time[gt]": "2026-01-15", "time[lt]": "2026-02-15"}).json()
    assert [(e["action"], e["properties"]) for e in after] == [("click", {"k": 1})]
    assert [e["action"] for e in get("/contactactivities", params={"mcID": "m-1"}).json()] == ["open"]
    counted = get("/contactactivities", params={"per_page": 1, "return_count": "true"})
    assert len(counted.json()) == 1 and counted.headers["x-total-count"] == "3"
    assert get("/contactactivities", params={"email": "nobody@example.com"}).json() == []


def test_activity_uid_is_recorded_once(cordial_mock):
    new_contact(cordial_mock)
    for _ in range(2):
        cordial_mock.rest.post(
            "/contactactivities", json={"a": "open", "primaryKey": "ada@example.com", "UID": "u-1"}
        )
    assert len(cordial_mock.rest.get("/contactactivities").json()) == 1


def test_activity_for_an_unknown_contact_is_404(cordial_mock):
    assert_problem(
        cordial_mock.rest.post("/contactactivities", json={"a": "open", "primaryKey": "email:x@y.z"}), 404
    )


# -- orders ----------------------------------------------------------------------------


def test_order_create_get_update_delete(cordial_mock):
    cid = new_contact(cordial_mock)
    order = {
        "orderID": "o-1",
        "cID": cid,
        "purchaseDate": "2026-05-01T10:00:00Z",
        "status": "placed",
        "items": [{"productID": "p", "sku": "s", "category": "c", "name": "n", "qty": 1}],
        "discountApplication": {"type": "fixed", "amount": 5},
    }
    assert cordial_mock.rest.post("/orders", json=order).json() == {"success": True}
    shown = cordial_mock.rest.get("/orders/o-1").json()
    assert shown["purchaseDate"] == "2026-05-01T10:00:00.000Z"
    assert shown["totalDiscountAmount"] == 5
    assert_problem(cordial_mock.rest.post("/orders", json=order), 409, "already exists")
    assert cordial_mock.rest.put("/orders/o-1", json={"status": "shipped"}).status_code == 200
    assert cordial_mock.rest.get("/orders/o-1", params={"fields": "status"}).json() == {
        "orderID": "o-1",
        "status": "shipped",
    }
    assert cordial_mock.rest.delete("/orders/o-1").json() == {"success": True}
    assert_problem(cordial_mock.rest.get("/orders/o-1"), 404)
    assert_problem(cordial_mock.rest.delete("/orders/o-1"), 404)
    assert_problem(cordial_mock.rest.put("/orders/o-1", json={"status": "x"}), 404)


def test_order_for_an_unknown_contact_is_404_like_every_request_naming_a_missing_contact(cordial_mock):
    for cid in ("nobody", ""):
        answer = cordial_mock.rest.post(
            "/orders", json={"orderID": "o", "cID": cid, "purchaseDate": "2026-01-01T00:00:00Z"}
        )
        assert_problem(answer, 404, "Contact doesn't exist")
    assert cordial_mock.state()["orders"] == []
    cid = new_contact(cordial_mock)
    order = {"orderID": "o", "cID": cid, "purchaseDate": "2026-01-01T00:00:00Z"}
    assert cordial_mock.rest.post("/orders", json=order).status_code == 200
    assert_problem(cordial_mock.rest.put("/orders/o", json={"cID": "nobody"}), 404, "Contact doesn't exist")
    assert cordial_mock.rest.get("/orders/o").json()["cID"] == cid


def test_list_orders_with_filters(cordial_mock):
    ada = new_contact(cordial_mock)
    bob = new_contact(cordial_mock, "bob@example.com")
    for n, (cid, day) in enumerate([(ada, "01"), (bob, "02"), (ada, "03")]):
        cordial_mock.rest.post(
            "/orders",
            json={
                "orderID": f"o-{n}",
                "cID": cid,
                "purchaseDate": f"2026-03-{day}T00:00:00Z",
                "totalAmount": n,
            },
        )
    get = cordial_mock.rest.get
    assert [o["orderID"] for o in get("/orders", params={"cID": ada}).json()] == ["o-0", "o-2"]
    assert [o["orderID"] for o in get("/orders", params={"email": "bob@example.com"}).json()] == ["o-1"]
    assert [o["orderID"] for o in get("/orders", params={"purchaseDate[gte]": "2026-03-02"}).json()] == [
        "o-1",
        "o-2",
    ]
    assert [o["orderID"] for o in get("/orders", params={"purchaseDate": "2026-03-01T00:00:00Z"}).json()] == [
        "o-0"
    ]
    ordered = get(
        "/orders",
        params={"sort_by": "totalAmount", "sort_dir": "desc", "per_page": 2, "return_count": "true"},
    )
    assert [o["orderID"] for o in ordered.json()] == ["o-2", "o-1"]
    assert ordered.headers["x-total-count"] == "3"
    assert get("/orders", params={"email": "nobody@example.com"}).json() == []
    # an offset moves the instant: 2026-03-01T23:00-01:00 is 2026-03-02T00:00Z
    later = get("/orders", params={"purchaseDate[gte]": "2026-03-01T23:00-01:00"}).json()
    assert [o["orderID"] for o in later] == ["o-1", "o-2"]
    refused = get("/orders", params={"purchaseDate[lt]": "2026-02-30"})
    assert_problem(refused, 422)
    assert refused.json()["violations"][0]["pointer"] == "/purchaseDate[lt]"


def test_query_parameters_the_contract_does_not_declare_are_ignored(cordial_mock):
    new_contact(cordial_mock)
    answer = cordial_mock.rest.get("/contacts", params={"colour": "red", "page": "1"})
    assert answer.status_code == 200
    assert len(answer.json()) == 1
    assert cordial_mock.control.requests(path="/v2/contacts", method="GET")[-1]["verdict"]["conforms"] is True


# -- account lists ---------------------------------------------------------------------


def test_account_lists_crud(cordial_mock):
    created = cordial_mock.rest.post("/accountlists", json={"name": "weekly-deals", "enhanced": True})
    assert created.status_code == 200
    list_id = created.json()["id"]
    assert created.json() == {"success": True, "id": list_id}
    assert cordial_mock.rest.get(f"/accountlists/{list_id}").json() == {
        "id": list_id,
        "name": "weekly-deals",
        "enhanced": True,
        "count": 0,
    }
    assert_problem(cordial_mock.rest.post("/accountlists", json={"name": "weekly-deals"}), 409, "unique")
    assert cordial_mock.rest.put(f"/accountlists/{list_id}", json={"name": "daily"}).json() == {
        "success": True
    }
    assert [x["name"] for x in cordial_mock.rest.get("/accountlists", params={"name": "daily"}).json()] == [
        "daily"
    ]
    assert cordial_mock.rest.get("/accountlists", params={"name": "weekly-deals"}).json() == []
    assert cordial_mock.rest.delete(f"/accountlists/{list_id}").json() == {"success": True}
    assert_problem(cordial_mock.rest.get(f"/accountlists/{list_id}"), 404)
    assert_problem(cordial_mock.rest.put(f"/accountlists/{list_id}", json={"name": "x"}), 404)
    assert_problem(cordial_mock.rest.delete(f"/accountlists/{list_id}"), 404)


def test_deleting_a_list_removes_memberships(cordial_mock):
    list_id = cordial_mock.rest.post("/accountlists", json={"name": "l"}).json()["id"]
    cid = new_contact(cordial_mock, l=True)
    assert contact(cordial_mock, cid)["lists"] == ["l"]
    cordial_mock.rest.delete(f"/accountlists/{list_id}")
    assert contact(cordial_mock, cid)["lists"] == []


@pytest.mark.parametrize("name", ["has space", "cid", "x" * 129])
def test_list_names_are_validated(cordial_mock, name):
    assert_problem(cordial_mock.rest.post("/accountlists", json={"name": name}), 422)
    assert cordial_mock.rest.get("/accountlists").json() == []


def test_answers_conform_to_the_contract(cordial_mock):
    """Every answer in this flow passes response validation (the journal's verdict)."""
    cid = new_contact(cordial_mock)
    cordial_mock.rest.post(f"/contacts/{cid}/cartitems", json=item())
    cordial_mock.rest.get(f"/contacts/{cid}")
    cordial_mock.rest.get("/contacts")
    cordial_mock.rest.post(
        "/orders", json={"orderID": "o", "cID": cid, "purchaseDate": "2026-01-01T00:00:00Z"}
    )
    cordial_mock.rest.get("/orders")
    cordial_mock.rest.post("/contactactivities", json={"a": "open", "primaryKey": cid})
    cordial_mock.rest.get("/contactactivities")
    cordial_mock.rest.post("/accountlists", json={"name": "l"})
    cordial_mock.rest.get("/accountlists")
    cordial_mock.rest.get("/accountlists/1")
    cordial_mock.rest.get("/orders/missing")
    entries = cordial_mock.control.requests()
    assert len(entries) == 12
    assert [e["verdict"]["response"] for e in entries if e["verdict"]["response"]] == []
    assert all(e["verdict"]["conforms"] for e in entries)
