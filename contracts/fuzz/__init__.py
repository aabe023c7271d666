"""Fuzzing the destination and the mock against the contracts (the engine of ``cordial-harness fuzz``).

Two kinds of run:

- events: :func:`run_fuzz` generates cases per action (Segment events,
  mappings, settings), builds each with the reference destination, checks
  the request against the ingest contract, delivers it to a mock and checks
  the answer; failing cases come back as ``cordial-harness map`` lines;
- APIs: :func:`run_schemathesis` runs Schemathesis against a mock with one
  contract (``ingest`` or ``rest-v2``) and the checks in :data:`CHECKS`.

Example::

    from contracts.fuzz import WsgiTransport, run_fuzz
    from mock_cordial import create_app

    report = run_fuzz(["upsertContact"], examples=50, seed=7, transport=WsgiTransport(create_app()))
    assert report.ok, [failure.to_line() for failure in report.failures]
"""

from contracts.fuzz.cases import ACTION_EVENTS, FuzzCase, event_strategy, fuzz_cases
from contracts.fuzz.findings import KINDS, Finding, answer_findings
from contracts.fuzz.outcomes import Built, Crashed, DestinationPool, Outcome, Rejected, build, request_verdict
from contracts.fuzz.report import ActionTally, CaseFailure, FuzzReport
from contracts.fuzz.runner import CaseResult, EventFuzzer, generate_cases, run_fuzz
from contracts.fuzz.sampling import derived_seed, draw_examples
from contracts.fuzz.schemathesis_runs import (
    CHECKS,
    PHASES,
    STATELESS_PHASES,
    ApiFailure,
    ApiReport,
    OperationTally,
    contract_schema,
    run_schemathesis,
    schemathesis_config,
)
from contracts.fuzz.transports import Answer, DeliveryFailed, HttpTransport, Transport, WsgiTransport

__all__ = [
    "ACTION_EVENTS",
    "CHECKS",
    "KINDS",
    "PHASES",
    "STATELESS_PHASES",
    "ActionTally",
    "Answer",
    "ApiFailure",
    "ApiReport",
    "Built",
    "CaseFailure",
    "CaseResult",
    "Crashed",
    "DeliveryFailed",
    "DestinationPool",
    "EventFuzzer",
    "Finding",
    "FuzzCase",
    "FuzzReport",
    "HttpTransport",
    "OperationTally",
    "Outcome",
    "Rejected",
    "Transport",
    "WsgiTransport",
    "answer_findings",
    "build",
    "contract_schema",
    "derived_seed",
    "draw_examples",
    "event_strategy",
    "fuzz_cases",
    "generate_cases",
    "request_verdict",
    "run_fuzz",
    "run_schemathesis",
    "schemathesis_config",
]
