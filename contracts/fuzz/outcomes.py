"""What the reference destination makes of one fuzz case, and what the ingest contract says of it.

Pure: no I/O.  A case ends in one of three ways: the destination builds a
request (:class:`Built`, with the contract's verdict on it), rejects the case
with one of the project's own errors (:class:`Rejected`, the clear refusal
production would give), or raises anything else (:class:`Crashed`, always a
bug).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from contracts.fuzz.cases import FuzzCase
from contracts.openapi import Contract, Operation, RouteError, Violation, load_contract
from reference import Destination, Settings, js_json
from reference.errors import CordialHarnessError
from reference.requests import PreparedRequest

__all__ = ["Built", "Crashed", "DestinationPool", "Outcome", "Rejected", "build", "request_verdict"]

_REASON_LIMIT = 160


@dataclass(frozen=True)
class Built:
    """The request the destination would send, where it goes and how it breaks the contract (if it does)."""

    request: PreparedRequest
    target: str
    operation: Operation | None
    violations: tuple[Violation, ...]

    @property
    def contract_valid(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Rejected:
    """The destination refused the case with one of the project's errors (production sends nothing)."""

    kind: str
    message: str

    @property
    def reason(self) -> str:
        """``kind: message``, short enough to count and print."""
        text = f"{self.kind}: {self.message}"
        return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"


@dataclass(frozen=True)
class Crashed:
    """The destination raised something that is not one of the project's errors."""

    error: str


Outcome = Built | Rejected | Crashed


class DestinationPool:
    """One reference destination per distinct settings object, so compiled mappings are reused."""

    def __init__(self) -> None:
        self._destinations: dict[str, Destination] = {}

    def get(self, settings: dict[str, Any]) -> Destination:
        """The destination for these settings; raises InvalidSettingsError for bad ones."""
        key = js_json.dumps(settings)
        destination = self._destinations.get(key)
        if destination is None:
            destination = self._destinations[key] = Destination(Settings.from_json(settings))
        return destination


def _target(url: str, endpoint: str) -> str:
    """The request's path below the endpoint's own path, as sent: a trailing slash gives ``//api/...``.

    An endpoint's base path (a proxy's ``/cordial``) is the proxy's business, not the service's.
    """
    base = endpoint.rstrip("/")
    if url.startswith(base):
        rest = url[len(base) :]
        return rest if rest.startswith("/") else "/" + rest
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def request_verdict(
    request: PreparedRequest, target: str, contract: Contract | None = None
) -> tuple[Operation | None, tuple[Violation, ...]]:
    """The ingest operation a request addresses and every way it breaks that operation's contract."""
    contract = contract or load_contract("ingest")
    path = target.split("?", 1)[0]  # not urlsplit: it reads the "api" of "//api/..." as a host name
    try:
        match = contract.match(request.method, path)
    except RouteError as exc:
        return None, (Violation("path", "", "paths", str(exc)),)
    body = None
    if request.content:
        try:
            body = json.loads(request.content)
        except ValueError as exc:
            return match.operation, (Violation("body", "", "type", f"the body is not JSON: {exc}"),)
    violations = match.operation.validate_request(
        path_params=match.path_params,
        query={},
        headers=request.headers,
        content_type=request.headers.get("Content-Type"),
        body=body,
    )
    return match.operation, tuple(violations)


def build(case: FuzzCase, pool: DestinationPool, contract: Contract | None = None) -> Outcome:
    """Run one case through the reference destination; never raises."""
    try:
        destination = pool.get(case.settings)
        request = destination.build_request(
            case.action, case.event, case.mapping, use_default_mappings=case.use_default_mappings
        )
    except CordialHarnessError as exc:
        return Rejected(exc.kind, exc.message)
    except Exception as exc:  # anything else is a bug the fuzzer exists to find
        return Crashed(f"{type(exc).__name__}: {exc}"[:500])
    target = _target(request.url, destination.settings.endpoint)
    operation, violations = request_verdict(request, target, contract)
    return Built(request, target, operation, violations)
