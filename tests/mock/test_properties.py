"""Properties over generated input: any body is served or refused cleanly, and a refusal changes nothing."""

from __future__ import annotations

import json

import httpx
from hypothesis import given
from hypothesis import strategies as st

from contracts.strategies import hostile_values
from contracts.strategies.values import hostile_keys
from mock_cordial import create_app
from mock_cordial.bodies import BadJson, parse_json
from mock_cordial.models.identity import parse_primary_key
from mock_cordial.models.ingest import ACTIONS
from mock_cordial.models.values import parse_datetime

# Lenient, so hostile bodies reach the state code instead of stopping at the contract.
APP = create_app(strict=False)
CLIENT = httpx.Client(transport=httpx.WSGITransport(app=APP), base_url="http://mock")
CONTROL = APP.extensions["cordial_mock"]

HEADERS = {"x-api-key": "k", "content-type": "application/json"}


def as_json(value) -> bytes:
    """JSON as a client could send it (lone surrogates escaped, NaN as Python writes it)."""
    return json.dumps(value).encode()


IDENTITY = st.fixed_dictionaries(
    {},
    optional={
        "segmentIdKey": st.sampled_from(["segment_id", "customerId", ""]) | hostile_values(2),
        "segmentId": st.sampled_from(["u1", "u2", ""]) | hostile_values(2),
        "anonymousId": st.sampled_from(["a1", "a2"]) | hostile_values(2),
        "userIdentities": st.dictionaries(
            st.sampled_from(["channels.email.address", "email", "customerId", "cID"]) | hostile_keys(),
            st.sampled_from(["a@b.c", "C-1", ""]) | hostile_values(2),
            max_size=3,
        ),
    },
)
FIELDS = st.dictionaries(
    st.sampled_from(
        [
            "action",
            "time",
            "attributes",
            "groupId",
            "listName",
            "productID",
            "qty",
            "orderID",
            "purchaseDate",
            "items",
            "discountApplication",
            "previousId",
            "properties",
            "totalAmount",
            "itemPrice",
        ]
    )
    | hostile_keys(),
    hostile_values(4),
    max_size=6,
)


@given(st.sampled_from(sorted(ACTIONS)), IDENTITY, FIELDS)
def test_any_ingest_body_is_accepted_or_refused_without_changing_the_state(action, identity, fields):
    before = CONTROL.snapshot()
    answer = CLIENT.post(f"/api/segment/{action}", content=as_json(identity | fields), headers=HEADERS)
    assert answer.status_code in (202, 400, 422), answer.text  # 400: NaN or a lone surrogate
    if answer.status_code != 202:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"]
        assert CONTROL.snapshot() == before


REST_CALLS = st.sampled_from(
    [
        ("POST", "/v2/contacts"),
        ("PUT", "/v2/contacts/email:a@b.c"),
        ("POST", "/v2/contacts/merge"),
        ("POST", "/v2/contacts/a@b.c/cart"),
        ("POST", "/v2/contacts/a@b.c/cartitems"),
        ("POST", "/v2/contactactivities"),
        ("POST", "/v2/orders"),
        ("PUT", "/v2/orders/o-1"),
        ("POST", "/v2/accountlists"),
        ("PUT", "/v2/accountlists/1"),
    ]
)


@given(REST_CALLS, hostile_values(8))
def test_any_rest_body_is_served_or_refused_cleanly(call, body):
    method, path = call
    answer = CLIENT.request(
        method, path, content=as_json(body), headers={"content-type": "application/json"}, auth=("k", "")
    )
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        assert answer.headers["content-type"] == "application/problem+json"


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_parse_json_accepts_or_names_the_problem(raw):
    try:
        value = parse_json(raw)
    except BadJson as error:
        assert str(error)
    else:
        json.dumps(value)  # whatever it accepts can be stored and sent back


@given(hostile_values(3))
def test_parse_datetime_never_fails(value):
    parsed = parse_datetime(value)
    if parsed is not None:
        text, seconds = parsed
        assert text.endswith("Z") and isinstance(seconds, float)


@given(st.text(max_size=60))
def test_any_primary_key_names_a_contact_or_nothing(text):
    ident = parse_primary_key(text)
    assert ident is None or ident.value
