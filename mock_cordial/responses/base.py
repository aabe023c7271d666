"""What a surface handler receives and returns, independent of Flask."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from mock_cordial.models.errors import InvalidInput

__all__ = ["Call", "Answer", "Endpoint", "Handler"]


@dataclass(frozen=True)
class Call:
    """A request that passed authentication and body parsing."""

    path_params: dict[str, str]
    query: MultiDict
    body: Any
    api_key: str

    def arg(self, name: str) -> str | None:
        """The first value of a query parameter."""
        return self.query.get(name)

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``true``/``false``, ``1``/``0``)."""
        value = self.query.get(name)
        if value is None or value.lower() in ("false", "0", ""):
            return False
        if value.lower() in ("true", "1"):
            return True
        raise InvalidInput(f"{name} must be true or false, got {value[:40]!r}")

    def args(self, names: tuple[str, ...]) -> dict[str, str | None]:
        return {name: self.query.get(name) for name in names}


@dataclass
class Answer:
    """A successful answer: status, JSON body and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[sqlite3.Connection, Call], Answer]


@dataclass(frozen=True)
class Endpoint:
    """One operation of a surface: its path template (``/v2/orders/{orderID}``, as in the
    contract), its method and the handler that carries it out; ``name`` is the contract's
    ``operationId``.

    ``writes`` says whether the operation can change the state (it then runs in
    a write transaction and honours ``Idempotency-Key``).
    """

    surface: str
    name: str
    method: str
    rule: str
    handler: Handler
    writes: bool
