"""The mock's own rules agree with the REST contract's: what the contract admits, the mock takes.

Schemathesis sends schema-valid data and expects it accepted; these
properties pin the rules where the mock checks values itself (dates, list
names, email addresses) to the contract's schemas.
"""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from contracts import load_contract, load_document
from mock_cordial import create_app
from mock_cordial.models.errors import InvalidInput
from mock_cordial.models.lists import validate_name
from mock_cordial.models.values import iso_seconds

SCHEMAS = load_document("rest-v2")["components"]["schemas"]
DATE_PATTERN = SCHEMAS["DateTimeFilter"]["pattern"]
LIST_NAME_PATTERN = SCHEMAS["AccountListName"]["pattern"]
APP = create_app(api_keys=["k"])
CLIENT = httpx.Client(transport=httpx.WSGITransport(app=APP), base_url="http://mock/v2", auth=("k", ""))


def _body_violations(method: str, path: str, body: object) -> list:
    match = load_contract("rest-v2").match(method, path)
    return match.operation.validate_request(
        path_params=match.path_params, query={}, headers={}, content_type="application/json", body=body
    )


@given(st.from_regex(DATE_PATTERN, fullmatch=True))
def test_every_date_the_contract_admits_is_read_and_filters(text):
    assert isinstance(iso_seconds(text), float)
    for path, name in (("/orders", "purchaseDate[gte]"), ("/contactactivities", "time[lt]")):
        answer = CLIENT.get(path, params={name: text})
        assert answer.status_code == 200, answer.text


def test_dates_are_read_as_the_instant_they_name():
    assert iso_seconds("1970-01-01") == 0.0
    assert iso_seconds("1970-01-01T01:00:00.25+01:00") == 0.25
    assert iso_seconds("1970-01-01 00:00-0130") == 5400.0
    assert iso_seconds("0001-01-01T00:00+23:59") == -62135596800.0 - 86340.0
    assert iso_seconds("2023-02-29") is None
    assert iso_seconds("2024-01-01T10:00Z\n") is None


@given(
    st.from_regex(LIST_NAME_PATTERN, fullmatch=True)
    | st.text(max_size=6)
    | st.sampled_from(["cid", "CID", "cId", "cids", "", "x" * 128, "x" * 129])
)
def test_the_mock_takes_exactly_the_list_names_the_contract_admits(name):
    admitted = not _body_violations("POST", "/v2/accountlists", {"name": name})
    try:
        validate_name(name)
        taken = True
    except InvalidInput:
        taken = False
    assert admitted == taken


@given(st.text(alphabet=st.sampled_from(" \t\n\x1c\x85\u00a0\u2003\u3000\ufeffa@"), max_size=4))
def test_an_email_address_of_white_space_only_is_refused_by_both(address):
    body = {"channels": {"email": {"address": address}}}
    admitted = not _body_violations("POST", "/v2/contacts", body)
    assert admitted == bool(address.strip())
    answer = CLIENT.post("/contacts", json=body)
    assert (answer.status_code < 300) == admitted, answer.text


def test_the_mock_serves_exactly_the_contracts_operations():
    from mock_cordial.responses import ingest, rest_v2

    served = {(e.surface, e.method, e.rule, e.name) for e in [*ingest.ENDPOINTS, *rest_v2.ENDPOINTS]}
    documented = {
        (surface, op.method, op.path_template, op.operation_id)
        for surface in ("ingest", "rest-v2")
        for op in load_contract(surface).operations
    }
    assert served == documented
