"""A fuzz run: generated cases through the reference destination, then to a mock, every answer checked.

Cases are generated per action from the run's seed (an action's cases do not
depend on which other actions run), built with the reference, checked against
the ingest contract and delivered through a :class:`Transport`.  Contract-
invalid requests are delivered too: the mock must answer them 422.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from contracts.fuzz.cases import ACTION_EVENTS, FuzzCase, fuzz_cases
from contracts.fuzz.findings import (
    NO_ANSWER,
    REFERENCE_CRASH,
    REQUEST_BREAKS_CONTRACT,
    Finding,
    answer_findings,
    describe_violations,
)
from contracts.fuzz.outcomes import Built, Crashed, DestinationPool, Outcome, Rejected, build
from contracts.fuzz.report import ActionTally, CaseFailure, FuzzReport
from contracts.fuzz.sampling import derived_seed, draw_examples
from contracts.fuzz.transports import Answer, DeliveryFailed, Transport
from contracts.openapi import load_contract

__all__ = ["CaseResult", "EventFuzzer", "generate_cases", "run_fuzz"]


def generate_cases(action: str, count: int, seed: int) -> list[FuzzCase]:
    """``count`` cases for ``action``, numbered ``<action>-<seed>-<n>``; reproducible from the seed."""
    cases = draw_examples(fuzz_cases(action), count, derived_seed(seed, action))
    return [case.with_id(f"{action}-{seed}-{number}") for number, case in enumerate(cases, start=1)]


@dataclass(frozen=True)
class CaseResult:
    """One case's journey: the destination's outcome, the mock's answer (if sent) and what broke."""

    case: FuzzCase
    outcome: Outcome
    answer: Answer | None
    findings: tuple[Finding, ...]


class EventFuzzer:
    """Runs cases through the reference and delivers the requests with ``transport``.

    ``api_key`` replaces each case's generated key (for a mock that accepts
    only its own keys).
    """

    def __init__(self, transport: Transport, *, api_key: str | None = None) -> None:
        self.transport = transport
        self.api_key = api_key
        self._pool = DestinationPool()
        self._contract = load_contract("ingest")

    def run_case(self, case: FuzzCase) -> CaseResult:
        """Build, check and deliver one case; never raises."""
        if self.api_key is not None:
            case = replace(case, settings={**case.settings, "apiKey": self.api_key})
        outcome = build(case, self._pool, self._contract)
        if isinstance(outcome, Crashed):
            return CaseResult(case, outcome, None, (Finding(REFERENCE_CRASH, outcome.error),))
        if isinstance(outcome, Rejected):
            return CaseResult(case, outcome, None, ())
        findings: list[Finding] = []
        if not outcome.contract_valid:
            findings.append(
                Finding(
                    REQUEST_BREAKS_CONTRACT,
                    f"{outcome.request.method} {outcome.target}: {describe_violations(outcome.violations)}",
                )
            )
        answer = self._deliver(outcome, findings)
        if answer is not None:
            findings.extend(answer_findings(outcome, answer))
        return CaseResult(case, outcome, answer, tuple(findings))

    def _deliver(self, built: Built, findings: list[Finding]) -> Answer | None:
        request = built.request
        try:
            return self.transport.send(request.method, built.target, request.headers, request.content)
        except DeliveryFailed as exc:
            findings.append(Finding(NO_ANSWER, f"{request.method} {built.target}: {exc}"))
            return None


def _record(tally: ActionTally, result: CaseResult) -> None:
    tally.events += 1
    outcome = result.outcome
    if isinstance(outcome, Rejected):
        tally.rejected[outcome.reason] += 1
    elif isinstance(outcome, Built):
        tally.sent += 1
        tally.contract_valid += outcome.contract_valid
    if result.findings:
        tally.count_failure(result.findings)


def run_fuzz(
    actions: Iterable[str],
    examples: int,
    seed: int,
    transport: Transport,
    *,
    api_key: str | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
    on_generated: Callable[[str, int], None] | None = None,
) -> FuzzReport:
    """Fuzz each action with ``examples`` cases; ``on_case`` hears of every case as it finishes.

    Raises ValueError for an unknown action name before anything runs.
    """
    chosen = list(dict.fromkeys(actions))
    unknown = [action for action in chosen if action not in ACTION_EVENTS]
    if unknown:
        raise ValueError(
            f"unknown action(s) {', '.join(unknown)}; the Cordial actions are: {', '.join(ACTION_EVENTS)}"
        )
    fuzzer = EventFuzzer(transport, api_key=api_key)
    report = FuzzReport(seed, {action: ActionTally(action) for action in chosen})
    for action in chosen:
        cases = generate_cases(action, examples, seed)
        if on_generated is not None:
            on_generated(action, len(cases))
        tally = report.tallies[action]
        for case in cases:
            result = fuzzer.run_case(case)
            _record(tally, result)
            if result.findings:
                report.failures.append(CaseFailure(result.case, result.findings))
            if on_case is not None:
                on_case(result)
    return report
