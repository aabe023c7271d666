"""Schemathesis drives both contracts against the app in process: never a 500, answers conform.

Checks: no server error, documented status, documented content type, response
body matching its schema, schema-valid requests accepted (a business-rule
refusal such as an order for an unknown contact is 404 or 409, which the check
allows). The full run, with negative data and the stateful phase, is
``tests/contracts/test_schemathesis.py``; this one is the mock's quick guard.
"""

from __future__ import annotations

import base64
import copy

import schemathesis
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from contracts import load_document
from mock_cordial import create_app

# Few examples per operation: 32 operations, and the thorough profile of the CLI
# (`schemathesis run` against `cordial-harness serve`) goes deeper.
FEW = settings(max_examples=8)
APP = create_app(api_keys=["st-key"])
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
AUTH = {
    "x-api-key": "st-key",
    "Authorization": "Basic " + base64.b64encode(b"st-key:").decode(),
}

ingest = schemathesis.openapi.from_dict(copy.deepcopy(load_document("ingest")))
rest_v2 = schemathesis.openapi.from_dict(copy.deepcopy(load_document("rest-v2")))


@ingest.parametrize()
@FEW
def test_ingest_contract(case):
    response = case.call(app=APP, headers=AUTH)
    case.validate_response(response, checks=CHECKS)


@rest_v2.parametrize()
@FEW
def test_rest_v2_contract(case):
    response = case.call(app=APP, headers=AUTH)
    case.validate_response(response, checks=CHECKS)
