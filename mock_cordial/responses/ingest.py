"""The ingest service's endpoints: ``GET /api/checkAuth`` and ``POST /api/segment/<action>``."""

from __future__ import annotations

import sqlite3
from typing import Any

from mock_cordial.models.errors import Conflict, InvalidInput
from mock_cordial.models.ingest import ACTIONS
from mock_cordial.responses.base import Answer, Call, Endpoint

__all__ = ["ENDPOINTS"]

#: What the ingest service answers an accepted action with.
ACCEPTED = {"success": "success"}


def check_auth(conn: sqlite3.Connection, call: Call) -> Answer:
    """Reaching this handler means the key was accepted."""
    return Answer(200, {})


def _action_handler(action: str) -> Any:
    perform = ACTIONS[action]

    def handle(conn: sqlite3.Connection, call: Call) -> Answer:
        if not isinstance(call.body, dict):
            raise InvalidInput(f"the body of {action} must be a JSON object")
        try:
            perform(conn, call.body)
        except Conflict as exc:  # the ingest service reports every refusal as unprocessable
            raise InvalidInput(exc.message) from None
        return Answer(202, ACCEPTED)

    handle.__name__ = f"ingest_{action}"
    return handle


ENDPOINTS = [
    Endpoint("ingest", "checkAuth", "GET", "/api/checkAuth", check_auth, writes=False),
    *(
        Endpoint("ingest", action, "POST", f"/api/segment/{action}", _action_handler(action), writes=True)
        for action in ACTIONS
    ),
]
