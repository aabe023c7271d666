"""Tallies of a fuzz run per action, and its failing cases as replayable lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from contracts.fuzz.cases import FuzzCase
from contracts.fuzz.findings import Finding

__all__ = ["ActionTally", "CaseFailure", "FuzzReport"]


@dataclass(frozen=True)
class CaseFailure:
    """A case that broke at least one rule, with every finding."""

    case: FuzzCase
    findings: tuple[Finding, ...]

    def to_line(self, *, keep_api_key: bool = True) -> dict[str, Any]:
        """A ``cordial-harness map`` input line plus ``failure`` (first finding; ``more`` holds the rest)."""
        line = self.case.to_map_line()
        if not keep_api_key:
            line["settings"] = {k: v for k, v in line["settings"].items() if k != "apiKey"}
        first, *rest = self.findings
        failure: dict[str, Any] = first.to_json()
        if rest:
            failure["more"] = [finding.to_json() for finding in rest]
        line["failure"] = failure
        return line


@dataclass
class ActionTally:
    """What happened to one action's events."""

    action: str
    events: int = 0
    sent: int = 0
    contract_valid: int = 0
    failed_cases: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def count_failure(self, findings: tuple[Finding, ...]) -> None:
        """One more failing case; ``failures`` counts its findings by kind."""
        self.failed_cases += 1
        self.failures.update(finding.kind for finding in findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "events": self.events,
            "sent": self.sent,
            "contractValid": self.contract_valid,
            "rejected": self.rejected_total,
            "rejectedBy": dict(self.rejected.most_common()),
            "failedCases": self.failed_cases,
            "failures": dict(self.failures.most_common()),
        }


@dataclass
class FuzzReport:
    """The whole run: the seed that reproduces it, one tally per action, every failing case."""

    seed: int
    tallies: dict[str, ActionTally]
    failures: list[CaseFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "ok": self.ok,
            "actions": [tally.to_json() for tally in self.tallies.values()],
            "failures": [
                {
                    "id": failure.case.id,
                    "action": failure.case.action,
                    "findings": [finding.to_json() for finding in failure.findings],
                }
                for failure in self.failures
            ],
        }
