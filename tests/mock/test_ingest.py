"""The ingest surface: production's requests change what the REST API then shows."""

from __future__ import annotations

from tests.mock.conftest import contact, send_production

ACCEPTED = {"success": "success"}


def cart_body(**fields):
    """An addProductToCart body with every key production requires."""
    return {"productID": "p", "sku": "s", "qty": 1, "category": "c", "name": "n", **fields}


def test_check_auth_accepts_a_key_as_the_destination_sends_it(cordial_mock):
    answer = cordial_mock.client.get(
        "/api/checkAuth", headers={"x-api-key": "any-key", "content-type": "application/json"}
    )
    assert answer.status_code == 200
    assert answer.json() == {}


def test_every_production_request_is_accepted(cordial_mock, production):
    for name, case in production.items():
        answer = send_production(cordial_mock, case)
        assert answer.status_code == 202, (name, answer.text)
        assert answer.json() == ACCEPTED


def test_upsert_contact_creates_the_contact_with_identities_and_attributes(cordial_mock, production):
    send_production(cordial_mock, production["identify"])
    by_email = contact(cordial_mock, "email:ada@example.com")
    assert by_email["channels"]["email"] == {"address": "ada@example.com", "subscribeStatus": "none"}
    assert by_email["attributes"] == {
        "segment_id": "user-1",
        "customerId": "C-1",
        "first_name": "Ada",
        "plan": "gold",
    }
    # every identity names the same contact
    assert contact(cordial_mock, "segment_id:user-1")["cID"] == by_email["cID"]
    assert contact(cordial_mock, "customerId:C-1")["cID"] == by_email["cID"]
    assert contact(cordial_mock, by_email["cID"])["cID"] == by_email["cID"]
    assert contact(cordial_mock, "Ada@Example.com")["cID"] == by_email["cID"]


def test_a_second_upsert_updates_the_same_contact(cordial_mock):
    ident = {"segmentIdKey": "segment_id", "segmentId": "u1"}
    cordial_mock.ingest("upsertContact", {**ident, "attributes": {"plan": "silver", "age": 30}})
    cordial_mock.ingest("upsertContact", {**ident, "attributes": {"plan": "gold"}})
    contacts = cordial_mock.rest.get("/contacts").json()
    assert len(contacts) == 1
    assert contacts[0]["attributes"] == {"segment_id": "u1", "plan": "gold", "age": 30}


def test_user_identities_select_in_order_and_the_first_hit_wins(cordial_mock):
    cordial_mock.ingest("upsertContact", {"userIdentities": {"customerId": "A"}, "attributes": {"n": 1}})
    cordial_mock.ingest("upsertContact", {"userIdentities": {"customerId": "B"}, "attributes": {"n": 2}})
    cordial_mock.ingest(
        "upsertContact", {"userIdentities": {"customerId": "B", "email": "x@y.z"}, "attributes": {"n": 3}}
    )
    assert contact(cordial_mock, "customerId:B")["attributes"]["n"] == 3
    assert contact(cordial_mock, "customerId:A")["attributes"]["n"] == 1
    # the email was new, so the selected contact took it
    assert contact(cordial_mock, "email:x@y.z")["attributes"]["customerId"] == "B"


def test_anonymous_activity_then_identify_lands_on_one_contact(cordial_mock):
    cordial_mock.ingest("createContactactivity", {"anonymousId": "anon-5", "action": "Browsed"})
    cordial_mock.ingest(
        "upsertContact", {"segmentIdKey": "segment_id", "segmentId": "user-5", "anonymousId": "anon-5"}
    )
    contacts = cordial_mock.rest.get("/contacts").json()
    assert len(contacts) == 1
    assert contacts[0]["attributes"] == {"segment_id": "user-5"}
    state = cordial_mock.state()["contacts"][0]
    assert state["segmentIds"] == ["user-5"]
    assert state["anonymousIds"] == ["anon-5"]


def test_activities_are_appended_newest_first(cordial_mock, production):
    for name in ("identify", "page", "track"):
        send_production(cordial_mock, production[name])
    events = cordial_mock.rest.get("/contactactivities", params={"email": "ada@example.com"}).json()
    assert [e["action"] for e in events] == ["Signed Up", "pageView"]
    page = events[1]
    assert page["time"] == "2026-11-02T09:01:00.000Z"
    assert page["properties"] == {"path": "/", "title": "Home"}
    assert page["context"] == {"ip": "203.0.113.24", "locale": "en-US"}
    assert page["cID"] == contact(cordial_mock, "email:ada@example.com")["cID"]


def test_activity_properties_drop_numeric_and_dotted_keys(cordial_mock):
    cordial_mock.ingest(
        "createContactactivity", {"segmentId": "u", "action": "a", "properties": {"57": 1, "a.b": 2, "ok": 3}}
    )
    assert cordial_mock.rest.get("/contactactivities").json()[0]["properties"] == {"ok": 3}


def test_cart_quantities_add_up_and_come_down(cordial_mock, production):
    send_production(cordial_mock, production["identify"])
    send_production(cordial_mock, production["product-added"])
    send_production(cordial_mock, production["product-added-again"])
    cart = contact(cordial_mock, "segment_id:user-1")["cart"]
    assert [(i["productID"], i["qty"]) for i in cart["cartitems"]] == [("p-1", 3)]
    item = cart["cartitems"][0]
    assert item["sku"] == "SKU-1"
    assert item["images"] == ["https://shop.example.com/img/1.jpg"]  # kept from the first add
    assert item["itemPrice"] == 249.5
    assert cart["totalAmount"] == 748.5
    send_production(cordial_mock, production["product-removed"])
    assert contact(cordial_mock, "segment_id:user-1")["cart"]["cartitems"][0]["qty"] == 1
    send_production(cordial_mock, production["product-removed"])
    assert contact(cordial_mock, "segment_id:user-1")["cart"]["cartitems"] == []


def test_removing_from_an_unknown_contact_creates_nothing(cordial_mock):
    answer = cordial_mock.ingest("removeProductFromCart", {"segmentId": "ghost", "productID": "p", "qty": 1})
    assert answer.status_code == 202
    assert cordial_mock.state()["contacts"] == []


def test_orders_are_upserted_by_order_id(cordial_mock, production):
    send_production(cordial_mock, production["order-completed"])
    order = cordial_mock.rest.get("/orders/order-1").json()
    assert order["status"] == "Order Completed"
    assert order["purchaseDate"] == "2026-11-02T09:06:00.000Z"
    assert order["totalAmount"] == 499
    assert order["discountApplication"] == {"type": "fixed", "amount": 10}
    assert order["totalDiscountAmount"] == 10
    assert order["items"][0]["images"] == ["https://shop.example.com/img/1.jpg"]
    assert order["cID"] == contact(cordial_mock, "segment_id:user-1")["cID"]
    send_production(cordial_mock, production["order-refunded"])
    orders = cordial_mock.rest.get("/orders").json()
    assert len(orders) == 1
    assert orders[0]["status"] == "Order Refunded"
    assert orders[0]["items"] == []
    assert "discountApplication" not in orders[0]


def test_lists_are_created_on_first_use_and_named_after_the_group(cordial_mock, production):
    send_production(cordial_mock, production["group-named"])
    send_production(cordial_mock, production["group-unnamed"])
    lists = cordial_mock.rest.get("/accountlists").json()
    assert [(item["name"], item["count"]) for item in lists] == [("VIP-Customers", 1), ("segment_g-7", 1)]
    assert contact(cordial_mock, "segment_id:user-1")["lists"] == ["VIP-Customers", "segment_g-7"]
    send_production(cordial_mock, production["group-removed"])
    assert contact(cordial_mock, "segment_id:user-1")["lists"] == ["segment_g-7"]
    # the list stays, now empty
    assert cordial_mock.rest.get("/accountlists", params={"name": "VIP-Customers"}).json()[0]["count"] == 0


def test_adding_to_a_list_twice_keeps_one_membership(cordial_mock, production):
    send_production(cordial_mock, production["group-named"])
    send_production(cordial_mock, production["group-named"])
    assert cordial_mock.rest.get("/accountlists").json()[0]["count"] == 1


def test_alias_gives_the_anonymous_contact_the_user_id(cordial_mock, production):
    send_production(cordial_mock, production["anonymous-track"])
    send_production(cordial_mock, production["alias"])
    state = cordial_mock.state()
    assert len(state["contacts"]) == 1
    assert contact(cordial_mock, "segment_id:user-2")["cID"] == state["contacts"][0]["cID"]


def test_merge_folds_the_previous_contact_into_the_current_one(cordial_mock):
    ident = {"segmentIdKey": "segment_id"}
    cordial_mock.ingest(
        "upsertContact", {**ident, "segmentId": "old", "attributes": {"a": 1, "shared": "old"}}
    )
    cordial_mock.ingest("addProductToCart", cart_body(**ident, segmentId="old", qty=2))
    cordial_mock.ingest("createContactactivity", {**ident, "segmentId": "old", "action": "was-old"})
    cordial_mock.ingest("addContactToList", {**ident, "segmentId": "old", "groupId": "g"})
    cordial_mock.ingest(
        "upsertContact", {**ident, "segmentId": "new", "attributes": {"b": 2, "shared": "new"}}
    )
    cordial_mock.ingest("mergeContacts", {**ident, "segmentId": "new", "previousId": "old"})
    contacts = cordial_mock.rest.get("/contacts").json()
    assert len(contacts) == 1
    merged = contacts[0]
    assert merged["attributes"] == {"segment_id": "new", "a": 1, "b": 2, "shared": "new"}
    assert merged["lists"] == ["segment_g"]
    assert merged["cart"]["cartitems"][0]["qty"] == 2
    events = cordial_mock.rest.get("/contactactivities").json()
    assert [(e["action"], e["cID"]) for e in events] == [("was-old", merged["cID"])]
    # events with the old user id still find the contact
    cordial_mock.ingest("createContactactivity", {**ident, "segmentId": "old", "action": "again"})
    assert len(cordial_mock.rest.get("/contacts").json()) == 1


def test_a_body_without_identity_creates_a_contact_known_by_its_cid(cordial_mock):
    answer = cordial_mock.ingest("createContactactivity", {"action": "Browsed"})
    assert answer.status_code == 202
    (created,) = cordial_mock.rest.get("/contacts").json()
    assert created["attributes"] == {} and created["channels"] == {}
    events = cordial_mock.rest.get("/contactactivities").json()
    assert [(e["action"], e["cID"]) for e in events] == [("Browsed", created["cID"])]
    # removals without identity find nobody and change nothing
    before = cordial_mock.state()
    cordial_mock.ingest("removeContactFromList", {"groupId": "g"})
    cordial_mock.ingest("mergeContacts", {"previousId": "p"})
    assert cordial_mock.state() == before


def test_a_trailing_slash_endpoint_reaches_the_same_operation(cordial_mock, production):
    case = production["checkauth-note"]
    assert "//api/" in case["url"]
    answer = cordial_mock.client.post(
        "http://cordial-mock.test//api/segment/upsertContact",
        content=case["body"],
        headers={"x-api-key": "k", "content-type": "application/json"},
    )
    assert answer.status_code == 202
    entry = cordial_mock.control.requests()[-1]
    assert entry["path"] == "/api/segment/upsertContact"
    assert entry["rawPath"] == "//api/segment/upsertContact"


def test_what_cannot_apply_is_ignored_as_cordial_ignores_unknown_attributes(cordial_mock):
    """Contract-valid bodies the destination can send are all accepted; odd values are skipped."""
    answer = cordial_mock.ingest(
        "upsertContact",
        {
            "segmentIdKey": "segment_id",
            "segmentId": "u",
            "userIdentities": {"customerId": {"a": 1}, "email": ["x@y.z"], "flag": True, "blank": " "},
            "attributes": {"channels.email.subscribeStatus": "sometimes", "cID": "forged", "plan": "gold"},
        },
    )
    assert answer.status_code == 202
    (shown,) = cordial_mock.rest.get("/contacts").json()
    assert shown["attributes"] == {"segment_id": "u", "plan": "gold"}
    assert shown["channels"] == {}


def test_quantities_are_plain_arithmetic(cordial_mock):
    cordial_mock.ingest("addProductToCart", cart_body(segmentId="u", qty=3))
    cordial_mock.ingest("addProductToCart", cart_body(segmentId="u", qty=-1))
    cordial_mock.ingest("removeProductFromCart", {"segmentId": "u", "productID": "p", "qty": 0})
    assert (
        contact(cordial_mock, "cID:" + cordial_mock.state()["contacts"][0]["cID"])["cart"]["cartitems"][0][
            "qty"
        ]
        == 2
    )
    cordial_mock.ingest("addProductToCart", cart_body(segmentId="u", qty=1e300))
    (cart,) = cordial_mock.state()["carts"].values()
    assert cart["cartitems"][0]["qty"] == 2**53
    cordial_mock.ingest("addProductToCart", cart_body(segmentId="u", productID="new", qty=-5))
    assert [i["productID"] for i in next(iter(cordial_mock.state()["carts"].values()))["cartitems"]] == ["p"]


def test_an_email_owned_by_another_contact_stays_with_it(cordial_mock):
    cordial_mock.ingest("upsertContact", {"userIdentities": {"email": "a@x.y"}})
    answer = cordial_mock.ingest(
        "upsertContact",
        {
            "segmentId": "u2",
            "segmentIdKey": "segment_id",
            "attributes": {"x": 1, "channels.email.address": "a@x.y"},
        },
    )
    assert answer.status_code == 202
    assert contact(cordial_mock, "email:a@x.y")["attributes"] == {}
    second = contact(cordial_mock, "segment_id:u2")
    assert second["attributes"] == {"segment_id": "u2", "x": 1}
    assert second["channels"] == {}
