"""The ways a fuzz case can fail, and the checks of the mock's answer that find them.

Pure: no I/O.  The rules: the destination never raises anything but its own
errors; every request it builds fits the ingest contract; the mock accepts
(2xx) every contract-valid request and answers 422 to every contract-invalid
one; and the mock's answer fits the contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contracts.fuzz.outcomes import Built
from contracts.fuzz.transports import Answer
from contracts.openapi import Violation

__all__ = [
    "ANSWER_BREAKS_CONTRACT",
    "KINDS",
    "MOCK_ACCEPTED_INVALID",
    "MOCK_REFUSED_VALID",
    "NO_ANSWER",
    "REFERENCE_CRASH",
    "REQUEST_BREAKS_CONTRACT",
    "Finding",
    "answer_findings",
    "describe_violations",
]

REFERENCE_CRASH = "reference-crash"
REQUEST_BREAKS_CONTRACT = "request-breaks-contract"
MOCK_REFUSED_VALID = "mock-refused-valid-request"
MOCK_ACCEPTED_INVALID = "mock-accepted-invalid-request"
ANSWER_BREAKS_CONTRACT = "answer-breaks-contract"
NO_ANSWER = "no-answer"

#: Every kind, in the order a report lists them.
KINDS = (
    REFERENCE_CRASH,
    REQUEST_BREAKS_CONTRACT,
    MOCK_REFUSED_VALID,
    MOCK_ACCEPTED_INVALID,
    ANSWER_BREAKS_CONTRACT,
    NO_ANSWER,
)

_DETAIL_LIMIT = 300


@dataclass(frozen=True)
class Finding:
    """One broken rule: ``kind`` is one of :data:`KINDS`, ``message`` says what happened."""

    kind: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def describe_violations(violations: tuple[Violation, ...] | list[Violation]) -> str:
    """``/pointer: message`` for each violation, joined on one line."""
    return "; ".join(f"{v.location}{v.pointer or ''}: {v.message}" for v in violations)


def _detail(answer: Answer) -> str:
    """The answer's explanation: a problem document's ``detail``, else the start of the body."""
    try:
        value = json.loads(answer.body) if answer.body else None
    except ValueError:
        value = None
    if isinstance(value, dict) and isinstance(value.get("detail"), str):
        text = value["detail"]
    else:
        text = answer.body[:_DETAIL_LIMIT].decode("utf-8", errors="replace")
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 1] + "…"


def _parsed_body(answer: Answer) -> tuple[object, str | None]:
    if not answer.body:
        return None, None
    try:
        return json.loads(answer.body), None
    except ValueError as exc:
        return None, f"the body is not JSON ({exc})"


def answer_findings(built: Built, answer: Answer) -> list[Finding]:
    """How the mock's answer to a built request breaks the rules (empty when it does not)."""
    findings: list[Finding] = []
    target = f"{built.request.method} {built.target}"
    if built.contract_valid and not 200 <= answer.status < 300:
        findings.append(
            Finding(
                MOCK_REFUSED_VALID,
                f"{target}: the mock answered {answer.status} to a contract-valid request: {_detail(answer)}",
            )
        )
    elif not built.contract_valid and answer.status != 422:
        findings.append(
            Finding(
                MOCK_ACCEPTED_INVALID,
                f"{target}: the mock answered {answer.status} to a contract-invalid request (expected 422)",
            )
        )
    if built.operation is not None:
        body, unreadable = _parsed_body(answer)
        if unreadable:
            findings.append(
                Finding(ANSWER_BREAKS_CONTRACT, f"{target}: {answer.status} answer: {unreadable}")
            )
        else:
            violations = built.operation.validate_response(
                status=answer.status, content_type=answer.content_type, body=body
            )
            if violations:
                findings.append(
                    Finding(
                        ANSWER_BREAKS_CONTRACT,
                        f"{target}: {answer.status} answer breaks the contract: "
                        f"{describe_violations(violations)}",
                    )
                )
    return findings
