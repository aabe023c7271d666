"""Contract validation of both surfaces against the project's OpenAPI contracts.

Each request is matched to its contract operation and checked (parameters,
content type, body); each answer is checked against the responses the
operation documents. The result is a verdict the journal records; in strict
mode a request with violations is refused with 422.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts import MethodNotAllowed, NoSuchPath, Operation, Violation, load_contract

__all__ = ["SURFACES", "surface_of", "Verdict", "ContractCheck"]

#: surface name -> contract name
SURFACES = {"ingest": "ingest", "rest-v2": "rest-v2"}


def surface_of(path: str) -> str | None:
    """Which surface a (slash-folded) path belongs to: ``ingest``, ``rest-v2`` or None."""
    if path.startswith("/api/") or path == "/api":
        return "ingest"
    if path.startswith("/v2/") or path == "/v2":
        return "rest-v2"
    return None


@dataclass
class Verdict:
    """What the contract says about one exchange.

    ``checked`` is False for paths outside both surfaces; ``request`` and
    ``response`` list violations (``response`` is None when the answer was
    not checked, e.g. an injected fault).
    """

    checked: bool
    operation: Operation | None = None
    request: list[Violation] = field(default_factory=list)
    response: list[Violation] | None = None

    def to_text(self) -> str:
        """The verdict as JSON text (constant text for the common clean cases)."""
        if not self.checked:
            return _UNCHECKED
        if not self.request and self.response is not None and not self.response:
            return _CONFORMS
        return json.dumps(self.to_json(), separators=(",", ":"))

    def to_json(self) -> dict[str, Any]:
        conforms = None
        if self.checked:
            conforms = not self.request and not self.response
        return {
            "checked": self.checked,
            "conforms": conforms,
            "request": [v.to_json() for v in self.request],
            "response": None if self.response is None else [v.to_json() for v in self.response],
        }


_UNCHECKED = '{"checked":false,"conforms":null,"request":[],"response":null}'
_CONFORMS = '{"checked":true,"conforms":true,"request":[],"response":[]}'
#: Answers this short are remembered with their verdict (at most this many of them).
_REMEMBERED_ANSWER_BYTES = 128
_REMEMBERED_ANSWERS = 1024


class ContractCheck:
    """The compiled contracts of both surfaces (loaded once per process)."""

    def __init__(self) -> None:
        self._contracts = {surface: load_contract(name) for surface, name in SURFACES.items()}
        self._answers: dict[tuple[Operation, int, str | None, bytes], list[Violation]] = {}

    @staticmethod
    def check_request(
        verdict: Verdict,
        *,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        content_type: str | None,
        body: Any,
    ) -> None:
        """Record on the verdict how the request breaks its operation's contract."""
        if verdict.operation is None:
            return  # unchecked, or the violation is that no operation matches
        verdict.request = verdict.operation.validate_request(
            path_params=path_params, query=query, headers=headers, content_type=content_type, body=body
        )

    def operation_of(self, surface: str, operation_id: str) -> Operation:
        """The contract operation with this id; KeyError when the contract has none (a mock bug)."""
        return self._contracts[surface].operation(operation_id)

    def operation_for(self, surface: str, method: str, path: str) -> tuple[Operation | None, list[Violation]]:
        """The contract operation of a request, or the violation that says there is none.

        ``path`` is decoded and slash-folded, as a server hands it over.
        """
        contract = self._contracts[surface]
        try:
            return contract.match_decoded("GET" if method == "HEAD" else method, path).operation, []
        except NoSuchPath as exc:
            return None, [Violation("path", "", "paths", str(exc))]
        except MethodNotAllowed as exc:
            return None, [Violation("path", "", "method", str(exc))]

    def matched(self, surface: str, method: str, path: str) -> Verdict:
        """A verdict that knows the request's operation but has not checked the request yet."""
        operation, violations = self.operation_for(surface, method, path)
        return Verdict(checked=True, operation=operation, request=violations)

    def check_response(
        self, verdict: Verdict, status: int, content_type: str | None, body: Any, payload: bytes | None = None
    ) -> None:
        """Record on the verdict how the answer breaks the operation's documented responses.

        ``payload`` (the answer's bytes) lets a short answer given again and
        again (``{"success":"success"}``) be checked once.
        """
        operation = verdict.operation
        if operation is None:
            verdict.response = [] if verdict.checked else None
            return
        if payload is None or len(payload) > _REMEMBERED_ANSWER_BYTES:
            verdict.response = operation.validate_response(
                status=status, content_type=content_type, body=body
            )
            return
        key = (operation, status, content_type, payload)
        found = self._answers.get(key)
        if found is None:
            found = operation.validate_response(status=status, content_type=content_type, body=body)
            if len(self._answers) < _REMEMBERED_ANSWERS:
                self._answers[key] = found
        verdict.response = list(found)
