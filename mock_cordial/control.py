"""The tester's handle on a mock: state, journal, faults and rate limit, without HTTP.

``/__admin`` serves these over HTTP; the pytest fixtures hand the object out
directly.
"""

from __future__ import annotations

from typing import Any

from mock_cordial import journal
from mock_cordial.db import Database
from mock_cordial.faults import FaultBook, FaultRule, RateLimit, parse_rate_limit, parse_rule
from mock_cordial.models import state

__all__ = ["MockControl"]


class MockControl:
    """Inspect and steer one mock instance (every call is its own transaction)."""

    def __init__(self, db: Database, faults: FaultBook) -> None:
        self.db = db
        self.fault_book = faults

    def snapshot(self) -> dict[str, Any]:
        """Contacts, lists, carts, orders and activities as JSON."""
        with self.db.read() as conn:
            return state.snapshot(conn)

    def reset(self) -> None:
        """Empty the state and forget idempotency keys (the journal and faults stay)."""
        with self.db.write() as conn:
            state.reset(conn)

    def requests(
        self, *, path: str | None = None, status: str | int | None = None, method: str | None = None
    ) -> list[dict[str, Any]]:
        """Journal entries, oldest first, optionally by path glob, status (``404``/``4xx``) and method."""
        filters = journal.parse_filters(
            {k: str(v) for k, v in (("path", path), ("status", status), ("method", method)) if v is not None}
        )
        return self.journal_entries(filters)

    def journal_entries(self, filters: journal.JournalFilter) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return journal.entries(conn, filters)

    def clear_requests(self) -> None:
        with self.db.write() as conn:
            journal.clear(conn)

    def add_fault(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Add a fault rule (see ``mock_cordial.faults``); raises FaultError for a bad one."""
        rule: FaultRule = parse_rule(spec)
        with self.db.write() as conn:
            added = self.fault_book.add(conn, rule).to_json()
        self.db.announce_control_change()
        return added

    def faults(self) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return self.fault_book.listing(conn)

    def clear_faults(self) -> None:
        with self.db.write() as conn:
            self.fault_book.clear(conn)
        self.db.announce_control_change()

    def remove_fault(self, rule_id: int) -> bool:
        with self.db.write() as conn:
            removed = self.fault_book.remove(conn, rule_id)
        self.db.announce_control_change()
        return removed

    def set_rate_limit(self, spec: dict[str, Any] | None) -> dict[str, Any] | None:
        """Turn the rate limit on (``{"requests_per_second": N, "retry_after": S}``) or off (None)."""
        limit: RateLimit | None = None if spec is None else parse_rate_limit(spec)
        with self.db.write() as conn:
            self.fault_book.set_rate_limit(conn, limit)
        self.db.announce_control_change()
        return None if limit is None else limit.to_json()

    def rate_limit(self) -> dict[str, Any] | None:
        _, limit = self.fault_book.control(self.db)
        return None if limit is None else limit.to_json()
