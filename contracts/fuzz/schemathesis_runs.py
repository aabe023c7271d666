"""Schemathesis against a mock of Cordial, with one of the project's contracts.

Both the pytest suite and ``cordial-harness fuzz`` load the contracts here,
so they run the same checks with the same credentials: the ingest contract
authenticates with ``x-api-key``, the REST v2 contract with HTTP Basic (the
API key as user name, an empty password).  The target is a WSGI application
in this process (no socket) or a ``base_url``; the contracts' own ``servers``
(Cordial's production hosts) are never used.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events
from schemathesis.engine import from_schema as engine_for

from contracts.documents import CONTRACT_FILES, load_document
from contracts.openapi import load_contract

__all__ = [
    "CHECKS",
    "PHASES",
    "STATELESS_PHASES",
    "ApiFailure",
    "ApiReport",
    "OperationTally",
    "contract_schema",
    "run_schemathesis",
    "schemathesis_config",
]

#: The checks every run applies (and only these).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
)

#: Schemathesis's test phases; ``stateful`` follows the contracts' OpenAPI links.
PHASES = ("examples", "coverage", "fuzzing", "stateful")
STATELESS_PHASES = ("examples", "coverage", "fuzzing")

_MESSAGE_LIMIT = 600
_ANSWER_LIMIT = 400

# Credentials stay hidden in reproductions; body fields such as ``segmentIdKey`` must not be.
_SANITIZATION = {
    "keys-to-sanitize": ["x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"],
    "sensitive-markers": ["password", "secret", "credential"],
}


def _auth(contract: str, api_key: str) -> dict[str, Any]:
    if contract == "ingest":
        return {"openapi": {"apiKey": {"api_key": api_key}}}
    return {"openapi": {"basicAuth": {"username": api_key, "password": ""}}}


def schemathesis_config(
    contract: str,
    *,
    api_key: str,
    max_examples: int,
    seed: int | None = None,
    base_url: str | None = None,
    phases: Iterable[str] = PHASES,
) -> schemathesis.Config:
    """The Schemathesis configuration of a run: the six checks, positive and negative data, auth."""
    if contract not in CONTRACT_FILES:
        raise ValueError(f"unknown contract {contract!r}; expected one of {', '.join(CONTRACT_FILES)}")
    if max_examples < 1:
        raise ValueError("max_examples must be at least 1")
    if not api_key:
        raise ValueError("api_key must not be empty")
    chosen = set(phases)
    unknown = sorted(chosen - set(PHASES))
    if unknown or not chosen:
        raise ValueError(f"phases must be among {', '.join(PHASES)}; got {', '.join(unknown) or 'none'}")
    data: dict[str, Any] = {
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "generation": {"mode": "all", "max-examples": max_examples},
        "phases": {phase: {"enabled": phase in chosen} for phase in PHASES},
        "auth": _auth(contract, api_key),
        "workers": 1,
        "output": {"sanitization": _SANITIZATION},
        # Literals harvested from the app's source depend on what the process has imported: runs would
        # differ between processes with the same seed.
        "analysis": {"constants": {"enabled": False}},
    }
    if seed is not None:
        data["seed"] = seed
    if base_url is not None:
        data["base-url"] = base_url.rstrip("/")
    return schemathesis.Config.from_dict(data)


def contract_schema(
    contract: str,
    *,
    api_key: str,
    max_examples: int,
    app: Any = None,
    base_url: str | None = None,
    seed: int | None = None,
    phases: Iterable[str] = PHASES,
    operation_ids: Iterable[str] | None = None,
) -> Any:
    """A Schemathesis schema of ``contract`` aimed at ``app`` (WSGI, in process) or at ``base_url``.

    ``operation_ids`` limits the run to those operations.
    """
    if (app is None) == (base_url is None):
        raise ValueError("give exactly one target: a WSGI app or a base URL")
    config = schemathesis_config(
        contract, api_key=api_key, max_examples=max_examples, seed=seed, base_url=base_url, phases=phases
    )
    # Schemathesis rewrites the document it is given; the loaded one is shared, so it gets a copy.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(load_document(contract)), config=config)
    if app is not None:
        schema.app = app
    if operation_ids is not None:
        chosen = list(operation_ids)
        known = {operation.operation_id for operation in load_contract(contract).operations}
        unknown = [name for name in chosen if name not in known]
        if unknown or not chosen:
            raise ValueError(f"{contract} has no operation {', '.join(unknown) or '(none given)'}")
        schema = schema.include(operation_id=chosen)
    return schema


@dataclass(frozen=True)
class ApiFailure:
    """One distinct failure: which operation and check, what happened, and a curl command to reproduce it."""

    contract: str
    operation: str
    check: str
    title: str
    message: str
    reproduction: str
    status: int | None = None
    answer: str = ""
    occurrences: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "operation": self.operation,
            "check": self.check,
            "title": self.title,
            "message": self.message,
            "reproduction": self.reproduction,
            "status": self.status,
            "answer": self.answer,
            "occurrences": self.occurrences,
        }


@dataclass
class OperationTally:
    """How many requests one operation (or one stateful scenario family) got, and how many failed."""

    label: str
    cases: int = 0
    failures: int = 0


@dataclass
class ApiReport:
    """The result of one Schemathesis run against one contract."""

    contract: str
    operations: dict[str, OperationTally] = field(default_factory=dict)
    failures: list[ApiFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "ok": self.ok,
            "operations": [
                {"operation": t.label, "cases": t.cases, "failures": t.failures}
                for t in self.operations.values()
            ],
            "failures": [failure.to_json() for failure in self.failures],
            "errors": self.errors,
        }


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


def _answer_text(content: bytes | None) -> str:
    text = (content or b"").decode("utf-8", errors="replace")
    return text if len(text) <= _ANSWER_LIMIT else text[: _ANSWER_LIMIT - 1] + "…"


class _Collector:
    """Folds engine events into an :class:`ApiReport`, one entry per distinct failure."""

    def __init__(self, contract: str) -> None:
        self.report = ApiReport(contract)
        self._seen: dict[tuple[str, str, str], int] = {}

    def scenario(self, event: events.ScenarioFinished) -> None:
        recorder = event.recorder
        tally = self.report.operations.setdefault(recorder.label, OperationTally(recorder.label))
        tally.cases += len(recorder.cases)
        for case_id, checks in recorder.checks.items():
            for node in checks:
                if node.failure_info is None:
                    continue
                tally.failures += 1
                failure = node.failure_info.failure
                operation = failure.operation or recorder.label
                key = (operation, node.name, failure.title)
                if key in self._seen:
                    index = self._seen[key]
                    found = self.report.failures[index]
                    self.report.failures[index] = ApiFailure(
                        **{**found.__dict__, "occurrences": found.occurrences + 1}
                    )
                    continue
                self._seen[key] = len(self.report.failures)
                interaction = recorder.interactions.get(case_id)
                response = interaction.response if interaction is not None else None
                self.report.failures.append(
                    ApiFailure(
                        contract=self.report.contract,
                        operation=operation,
                        check=node.name,
                        title=failure.title,
                        message=_short(failure.message),
                        reproduction=node.failure_info.code_sample,
                        status=None if response is None else response.status_code,
                        answer="" if response is None else _answer_text(response.content),
                    )
                )

    def error(self, text: str) -> None:
        self.report.errors.append(_short(text))


def run_schemathesis(
    contract: str,
    *,
    api_key: str,
    max_examples: int,
    app: Any = None,
    base_url: str | None = None,
    seed: int | None = None,
    phases: Iterable[str] = PHASES,
    operation_ids: Iterable[str] | None = None,
    on_scenario: Callable[[str], None] | None = None,
) -> ApiReport:
    """Run the chosen Schemathesis phases and collect what failed; ``on_scenario`` hears of each scenario."""
    schema = contract_schema(
        contract,
        api_key=api_key,
        max_examples=max_examples,
        app=app,
        base_url=base_url,
        seed=seed,
        phases=phases,
        operation_ids=operation_ids,
    )
    collector = _Collector(contract)
    for event in engine_for(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            collector.scenario(event)
            if on_scenario is not None:
                on_scenario(event.recorder.label)
        elif isinstance(event, events.NonFatalError):
            collector.error(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            collector.error(f"Schemathesis stopped: {type(event.exception).__name__}: {event.exception}")
    return collector.report
