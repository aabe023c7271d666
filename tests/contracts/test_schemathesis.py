"""Schemathesis against the in-process mock, with both contracts: it must find nothing.

Stateless: every operation of each contract gets Schemathesis's examples,
coverage and fuzzing phases, positive and negative data, and the checks in
``contracts.fuzz.CHECKS``.  Stateful: the REST v2 contract's OpenAPI links
chain operations (create a contact, then get, update or delete it).  The
number of examples follows the Hypothesis profile (``--hypothesis-profile=
thorough`` goes deeper); the ``ci`` profile is derandomized, so is the seed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings

from contracts import load_contract
from contracts.fuzz import STATELESS_PHASES, ApiReport, contract_schema, run_schemathesis
from mock_cordial import create_app

API_KEY = "schemathesis-key"
_PROFILE = settings()
EXAMPLES = max(5, _PROFILE.max_examples // 4)
SEED = 0 if _PROFILE.derandomize else None
STATEFUL_SCENARIOS = max(10, _PROFILE.max_examples // 2)


def _operations() -> list[Any]:
    return [
        pytest.param(contract, operation.operation_id, id=f"{contract}:{operation.operation_id}")
        for contract in ("ingest", "rest-v2")
        for operation in load_contract(contract).operations
    ]


def _explain(report: ApiReport) -> str:
    lines = []
    for failure in report.failures:
        lines.append(f"{failure.operation}: {failure.title} [{failure.check}] x{failure.occurrences}")
        lines.append(f"  {failure.message}")
        lines.append(f"  the mock answered {failure.status}: {failure.answer}")
        lines.append(f"  {failure.reproduction}")
    lines.extend(f"error: {error}" for error in report.errors)
    return "\n".join(lines)


@pytest.mark.parametrize(("contract", "operation_id"), _operations())
def test_schemathesis_finds_nothing_on_the_mock(contract: str, operation_id: str) -> None:
    report = run_schemathesis(
        contract,
        api_key=API_KEY,
        max_examples=EXAMPLES,
        app=create_app(api_keys=[API_KEY]),
        seed=SEED,
        phases=STATELESS_PHASES,
        operation_ids=[operation_id],
    )
    tested = sum(tally.cases for tally in report.operations.values())
    assert tested, f"Schemathesis sent no request to {operation_id}"
    assert report.ok, _explain(report)


#: Each family of REST v2 operations the contract links: the creating operation's answer names the record
#: the others then read, change and delete.
LINKED_FAMILIES = {
    "contacts": ("createContact", "POST /v2/contacts", "cID", "primaryKey", "GET /v2/contacts/{primaryKey}"),
    "orders": ("createOrder", "POST /v2/orders", None, "orderID", "GET /v2/orders/{orderID}"),
    "accountlists": ("createAccountList", "POST /v2/accountlists", "id", "id", "GET /v2/accountlists/{id}"),
}
FAMILY_OPERATIONS = {
    "contacts": ["createContact", "getContact", "updateContact", "deleteContact"],
    "orders": ["createOrder", "getOrder", "updateOrder", "deleteOrder"],
    "accountlists": ["createAccountList", "getAccountList", "updateAccountList", "deleteAccountList"],
}


def _create_contact(app: Any) -> str:
    response = app.test_client().post(
        "/v2/contacts",
        json={"channels": {"email": {"address": "stateful@example.com"}}},
        auth=(API_KEY, ""),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["cID"]


@pytest.mark.parametrize("family", list(LINKED_FAMILIES))
def test_stateful_runs_follow_the_links_from_a_created_record(family: str) -> None:
    _, creator, answer_key, parameter, reader = LINKED_FAMILIES[family]
    app = create_app(api_keys=[API_KEY])
    schema = contract_schema(
        "rest-v2",
        api_key=API_KEY,
        max_examples=EXAMPLES,
        app=app,
        seed=SEED,
        phases=["stateful"],
        operation_ids=FAMILY_OPERATIONS[family],
    )
    created: set[str] = set()
    followed: set[str] = set()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            # Each scenario (and its replay while shrinking) starts from an empty account.
            app.extensions["cordial_mock"].reset()
            self.contact = _create_contact(app)

        def before_call(self, case: Any) -> None:
            super().before_call(case)
            # An order belongs to an existing contact, and no link hands one over: valid orders name ours.
            positive = case.meta is not None and case.meta.generation.mode.is_positive
            if case.operation.label == "POST /v2/orders" and positive and isinstance(case.body, dict):
                case.body["cID"] = self.contact

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            if case.operation.label == creator and response.status_code < 300:
                record = response.json()[answer_key] if answer_key else case.body[parameter]
                created.add(str(record))
            if str((case.path_parameters or {}).get(parameter)) in created:
                followed.add(case.operation.label)

    Workflow.run(
        settings=settings(
            Workflow.TestCase.settings,
            max_examples=STATEFUL_SCENARIOS,
            derandomize=_PROFILE.derandomize,
            database=None,
        )
    )
    assert created, f"no {creator} succeeded"
    assert reader in followed, f"no created record was read back; links followed: {sorted(followed)}"


@pytest.mark.parametrize("address", [" ", "\u00a0", "\x85", "\u3000"])
def test_blank_email_addresses_are_refused_by_the_contract_and_the_mock(address: str) -> None:
    # Schemathesis once found the mock refusing a blank address the contract allowed;
    # the contract now says what the mock does: an address of white space names no one.
    body = {"channels": {"email": {"address": address}}}
    contract = load_contract("rest-v2")
    match = contract.match("POST", "/v2/contacts")
    violations = match.operation.validate_request(
        path_params=match.path_params, query={}, headers={}, content_type="application/json", body=body
    )
    assert [v.pointer for v in violations] == ["/channels/email/address"]
    client = create_app(api_keys=[API_KEY]).test_client()
    assert client.post("/v2/contacts", json=body, auth=(API_KEY, "")).status_code == 422
    padded = {"channels": {"email": {"address": f"{address}ada@example.com{address}"}}}
    assert client.post("/v2/contacts", json=padded, auth=(API_KEY, "")).status_code in (200, 201)


def test_schemathesis_runs_are_aimed_at_one_target_only() -> None:
    with pytest.raises(ValueError, match="exactly one target"):
        contract_schema("ingest", api_key=API_KEY, max_examples=1)
    with pytest.raises(ValueError, match="unknown contract"):
        run_schemathesis("v3", api_key=API_KEY, max_examples=1, app=create_app())
    with pytest.raises(ValueError, match="phases"):
        run_schemathesis("ingest", api_key=API_KEY, max_examples=1, app=create_app(), phases=["nope"])
    with pytest.raises(ValueError, match="ingest has no operation getContact"):
        run_schemathesis(
            "ingest", api_key=API_KEY, max_examples=1, app=create_app(), operation_ids=["getContact"]
        )
