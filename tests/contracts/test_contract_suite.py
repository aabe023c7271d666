"""The contract suite: the reference, the mock and the ingest contract agree on generated inputs.

For every action, on generated events, mappings and settings:

- the reference either builds a request that fits the ingest contract, or
  rejects the case with one of the project's errors (never anything else);
- the mock answers every contract-valid request with 2xx, every
  contract-invalid one with 422 listing the violations, and its answers fit
  the contract;
- the contract rejects bodies production never sends (production's own
  bodies, damaged).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import load_contract
from contracts.documents import load_document
from contracts.fuzz import (
    ACTION_EVENTS,
    Built,
    Crashed,
    DestinationPool,
    FuzzCase,
    Rejected,
    WsgiTransport,
    answer_findings,
    build,
    fuzz_cases,
    request_verdict,
)
from contracts.fuzz.findings import MOCK_ACCEPTED_INVALID, MOCK_REFUSED_VALID
from mock_cordial import create_app
from reference.errors import (
    InvalidMappingError,
    MappingResolutionError,
    PayloadValidationError,
    RuntimeTypeError,
)
from reference.requests import PreparedRequest, action_request
from reference.settings import Settings

ACTIONS = tuple(ACTION_EVENTS)
DATA = Path(__file__).parent / "data"
API_KEY = "contract-suite-key"
SETTINGS = Settings(api_key=API_KEY)
#: How production refuses a case: the payload fails validation, the mapping is invalid or cannot be
#: resolved against the event, or the runtime throws a TypeError (all with production's message).
REJECTION_KINDS = {
    PayloadValidationError.kind,
    InvalidMappingError.kind,
    MappingResolutionError.kind,
    RuntimeTypeError.kind,
}


@pytest.fixture(scope="module")
def mock_transport() -> WsgiTransport:
    """One in-process mock for the module (its state grows as cases run, as a real account's would)."""
    return WsgiTransport(create_app(api_keys=[API_KEY]))


@pytest.fixture(scope="module")
def pool() -> DestinationPool:
    return DestinationPool()


def _keyed(case: FuzzCase) -> FuzzCase:
    """The case with the key the mock accepts."""
    return dataclasses.replace(case, settings={**case.settings, "apiKey": API_KEY})


def _production_bodies() -> list[tuple[str, dict[str, Any]]]:
    lines = (DATA / "production_bodies.jsonl").read_text(encoding="utf-8").split("\n")
    return [(row["action"], json.loads(row["body"])) for row in map(json.loads, filter(str.strip, lines))]


PRODUCTION_BODIES = _production_bodies()


def _body_schema(action: str) -> dict[str, Any]:
    """The ingest contract's body schema of ``action`` (facts about the contract, read from it)."""
    document = load_document("ingest")
    request_body = document["paths"][f"/api/segment/{action}"]["post"]["requestBody"]
    ref = request_body["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _is_text(schema: dict[str, Any], key: str) -> bool:
    """Whether the contract declares ``key`` a string and nothing else (not a date-like string or number)."""
    ref = schema.get("properties", {}).get(key, {}).get("$ref", "")
    return ref.endswith(("/Text", "/SegmentIdKey"))


def _as_request(action: str, body: Any) -> tuple[PreparedRequest, str]:
    request = action_request(SETTINGS, action, body)
    return request, f"/api/segment/{action}"


# -- the reference -------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@given(data=st.data())
def test_reference_builds_contract_valid_requests_or_rejects_clearly(
    action: str, data: st.DataObject, pool: DestinationPool
) -> None:
    case = data.draw(fuzz_cases(action), label="case")
    outcome = build(case, pool)
    assert not isinstance(outcome, Crashed), f"the reference crashed: {outcome.error}"
    if isinstance(outcome, Rejected):
        assert outcome.kind in REJECTION_KINDS, outcome
        assert outcome.message.strip(), "a rejection must say why"
        return
    assert outcome.request.url.endswith(f"/api/segment/{action}")
    assert outcome.contract_valid, [v.to_json() for v in outcome.violations]


def test_a_trailing_slash_endpoint_still_addresses_the_contract_operation(pool: DestinationPool) -> None:
    case = FuzzCase(
        "slash",
        "upsertContact",
        {"type": "identify", "userId": "u1"},
        {"apiKey": API_KEY, "endpoint": "https://integrations-ingest-svc.usw1.cordial.com/"},
    )
    outcome = build(case, pool)
    assert isinstance(outcome, Built)
    assert outcome.target == "//api/segment/upsertContact"
    assert outcome.operation is not None and outcome.operation.operation_id == "upsertContact"
    assert outcome.contract_valid


def test_a_request_off_the_contract_is_named_not_raised() -> None:
    request = action_request(SETTINGS, "upsertContact", {"segmentId": 1, "extra": True})
    operation, violations = request_verdict(request, "/api/segment/upsertContact")
    assert operation is not None
    assert {(v.pointer, v.rule) for v in violations} == {
        ("/segmentId", "type"),
        ("/extra", "additionalProperties"),
    }
    unknown = action_request(SETTINGS, "upsertContact", {})
    operation, violations = request_verdict(unknown, "/api/segment/nope")
    assert operation is None and violations[0].rule == "paths"


# -- the mock, on what the reference sends --------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@given(data=st.data())
def test_mock_accepts_every_request_the_reference_builds_and_answers_per_contract(
    action: str, data: st.DataObject, pool: DestinationPool, mock_transport: WsgiTransport
) -> None:
    case = _keyed(data.draw(fuzz_cases(action), label="case"))
    outcome = build(case, pool)
    if not isinstance(outcome, Built):
        return
    request = outcome.request
    answer = mock_transport.send(request.method, outcome.target, request.headers, request.content)
    findings = answer_findings(outcome, answer)
    assert not findings, "\n".join(f"{f.kind}: {f.message}" for f in findings)


def test_mock_accepts_a_lone_surrogate_as_production_sends_it(
    pool: DestinationPool, mock_transport: WsgiTransport
) -> None:
    """JSON.stringify writes a lone surrogate as the escape ``\\ud83d``: valid JSON the mock must take."""
    case = FuzzCase(
        "surrogate", "upsertContact", {"type": "identify", "userId": "\ud83d"}, {"apiKey": API_KEY}
    )
    outcome = build(case, pool)
    assert isinstance(outcome, Built) and outcome.contract_valid
    assert outcome.request.content == b'{"segmentId":"\\ud83d"}'  # production's bytes, from its runtime
    request = outcome.request
    answer = mock_transport.send(request.method, outcome.target, request.headers, request.content)
    assert not answer_findings(outcome, answer), answer


# -- the contract and the mock, on bodies production never sends -----------------


@st.composite
def _damaged_production_bodies(draw: Any) -> tuple[str, dict[str, Any], str]:
    """A production body broken in one way no production body ever is, and what was broken."""
    action, body = draw(st.sampled_from(PRODUCTION_BODIES))
    body = copy.deepcopy(body)
    schema = _body_schema(action)
    required = [key for key in schema.get("required", []) if key in body]
    texts = [key for key in body if _is_text(schema, key)]
    damages = ["undeclared key", "not an object"]
    if required:
        damages.append("required key removed")
    if texts:
        damages.append("text made a number")
    if "qty" in body:
        damages.append("fractional quantity")
    if action == "upsertOrder":
        damages.append("discount not fixed")
    damage = draw(st.sampled_from(damages))
    if damage == "undeclared key":
        body[draw(st.sampled_from(("unexpected", "manufacturerNname", "email", "userId")))] = draw(
            st.one_of(st.text(max_size=5), st.integers(), st.none())
        )
    elif damage == "not an object":
        return action, draw(st.sampled_from(([body], [], "body", 1, None))), damage  # type: ignore[return-value]
    elif damage == "required key removed":
        del body[draw(st.sampled_from(required))]
    elif damage == "text made a number":
        body[draw(st.sampled_from(texts))] = draw(st.integers(-5, 5) | st.floats(allow_nan=False))
    elif damage == "fractional quantity":
        body["qty"] = draw(st.sampled_from((0.5, 1.25, -2.5)))
    else:
        body["discountApplication"] = {"type": draw(st.sampled_from(("percent", "", "FIXED"))), "amount": 5}
    return action, body, damage


@given(damaged=_damaged_production_bodies())
def test_contract_rejects_bodies_production_never_sends(damaged: tuple[str, Any, str]) -> None:
    action, body, damage = damaged
    request, target = _as_request(action, body)
    operation, violations = request_verdict(request, target)
    assert operation is not None and operation.operation_id == action
    assert violations, f"the contract accepted a body with {damage}: {body!r}"


@given(damaged=_damaged_production_bodies())
def test_mock_answers_422_with_violations_to_contract_invalid_bodies(
    damaged: tuple[str, Any, str], mock_transport: WsgiTransport
) -> None:
    action, body, _ = damaged
    request, target = _as_request(action, body)
    operation, violations = request_verdict(request, target)
    answer = mock_transport.send(request.method, target, request.headers, request.content)
    findings = answer_findings(Built(request, target, operation, violations), answer)
    assert not findings, "\n".join(f"{f.kind}: {f.message}" for f in findings)
    problem = json.loads(answer.body)
    pointers = {v["pointer"] for v in problem["violations"]}
    assert pointers == {v.pointer for v in violations}, (problem["violations"], violations)


@pytest.mark.parametrize("action", ACTIONS)
def test_mock_accepts_each_action_s_production_bodies(action: str, mock_transport: WsgiTransport) -> None:
    bodies = [body for name, body in PRODUCTION_BODIES if name == action]
    assert bodies, f"no production body of {action} in the fixture"
    failures = []
    for body in bodies:
        request, target = _as_request(action, body)
        operation, violations = request_verdict(request, target)
        assert not violations, (body, violations)
        answer = mock_transport.send(request.method, target, request.headers, request.content)
        findings = answer_findings(Built(request, target, operation, ()), answer)
        failures.extend(f"{json.dumps(body)[:200]} -> {f.message}" for f in findings)
    assert not failures, f"{len(failures)} of {len(bodies)} production bodies:\n" + "\n".join(failures[:10])


def test_answer_findings_name_each_broken_rule() -> None:
    """The checks the suite relies on fail when they should (a mock answering wrongly is caught)."""
    from contracts.fuzz import Answer

    contract = load_contract("ingest")
    operation = contract.operation("upsertContact")
    request, target = _as_request("upsertContact", {"segmentId": "u"})
    valid = Built(request, target, operation, ())
    invalid = Built(request, target, operation, (object(),))  # type: ignore[arg-type]
    accepted = Answer(202, "application/json", b'{"success":"success"}')
    assert answer_findings(valid, accepted) == []
    refused = Answer(422, "application/problem+json", b'{"type":"t","title":"x","status":422,"detail":"no"}')
    assert [f.kind for f in answer_findings(valid, refused)] == [MOCK_REFUSED_VALID]
    assert [f.kind for f in answer_findings(invalid, accepted)] == [MOCK_ACCEPTED_INVALID]
    off_contract = Answer(202, "application/json", b'{"success":"yes"}')
    assert [f.kind for f in answer_findings(valid, off_contract)] == ["answer-breaks-contract"]
    not_json = Answer(202, "application/json", b"<html>")
    assert [f.kind for f in answer_findings(valid, not_json)] == ["answer-breaks-contract"]
