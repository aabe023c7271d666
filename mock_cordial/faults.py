"""Fault injection: rules that make matching requests fail, slow down or lose their connection.

A rule matches by method and path glob and does one of: answer with a given
status, body and headers; wait ``delay`` seconds first (alone, the request is
then served normally); or drop the connection without an answer. It applies
to the next ``times`` matching requests (every one when absent), each with
``probability`` (1 when absent). Rules live in the database, so every server
process applies the same rules and counts uses together.

The rate limit is a separate switch: past ``requests_per_second`` requests in
one clock second, requests get 429 with ``Retry-After``.
"""

from __future__ import annotations

import fnmatch
import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

from mock_cordial.db import Database

__all__ = ["FaultError", "FaultRule", "parse_rule", "RateLimit", "parse_rate_limit", "FaultBook"]

MAX_DELAY = 60.0
_METHOD = re.compile(r"^([A-Za-z]+|\*)$")
_RULE_KEYS = frozenset(
    {"method", "path", "status", "body", "headers", "delay", "drop", "times", "probability"}
)


class FaultError(ValueError):
    """A fault rule or rate limit that cannot be used; the message names the problem."""


@dataclass
class FaultRule:
    """One fault rule; ``remaining`` is None for a rule without ``times``."""

    method: str = "*"
    path: str = "*"
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    times: int | None = None
    probability: float | None = None
    id: int | None = None
    remaining: int | None = None
    applied: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method == "*" or self.method == method) and fnmatch.fnmatchcase(path, self.path)

    def spec(self) -> dict[str, Any]:
        """The rule as it was given (what the database stores)."""
        out: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.status is not None:
            out["status"] = self.status
            out["body"] = self.body
            out["headers"] = self.headers
        if self.delay:
            out["delay"] = self.delay
        if self.drop:
            out["drop"] = True
        if self.times is not None:
            out["times"] = self.times
        if self.probability is not None:
            out["probability"] = self.probability
        return out

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.spec(), "remaining": self.remaining, "applied": self.applied}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_rule(spec: Any) -> FaultRule:
    """A rule from its JSON description; raises FaultError naming what is wrong."""
    if not isinstance(spec, dict):
        raise FaultError("a fault rule is a JSON object")
    unknown = sorted(set(spec) - _RULE_KEYS)
    if unknown:
        raise FaultError(
            f"unknown fault rule keys: {', '.join(unknown)} (known: {', '.join(sorted(_RULE_KEYS))})"
        )
    rule = FaultRule()
    method = spec.get("method", "*")
    if not isinstance(method, str) or not _METHOD.match(method):
        raise FaultError("method must be an HTTP method such as POST, or *")
    rule.method = method.upper()
    path = spec.get("path", "*")
    if not isinstance(path, str) or not path:
        raise FaultError("path must be a glob such as /api/segment/* (or * for every path)")
    rule.path = path
    status = spec.get("status")
    if status is not None:
        if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
            raise FaultError("status must be a whole number from 200 to 599")
        rule.status = status
        rule.body = spec.get("body")
        headers = spec.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k and "\n" not in k + v and "\r" not in k + v
            for k, v in headers.items()
        ):
            raise FaultError("headers must be an object of header names to string values")
        rule.headers = headers
    elif "body" in spec or "headers" in spec:
        raise FaultError("body and headers need a status to answer with")
    delay = spec.get("delay", 0)
    if not _number(delay) or not 0 <= delay <= MAX_DELAY:
        raise FaultError(f"delay must be a number of seconds from 0 to {MAX_DELAY:g}")
    rule.delay = float(delay)
    drop = spec.get("drop", False)
    if not isinstance(drop, bool):
        raise FaultError("drop must be true or false")
    rule.drop = drop
    if drop and status is not None:
        raise FaultError("a rule either answers with a status or drops the connection, not both")
    if not drop and status is None and not rule.delay:
        raise FaultError("a rule needs status, drop or delay")
    times = spec.get("times")
    if times is not None:
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise FaultError("times must be a whole number of at least 1")
        rule.times = rule.remaining = times
    probability = spec.get("probability")
    if probability is not None:
        if not _number(probability) or not 0 < probability <= 1:
            raise FaultError("probability must be a number greater than 0 and at most 1")
        rule.probability = float(probability)
    return rule


@dataclass(frozen=True)
class RateLimit:
    requests_per_second: int
    retry_after: int = 1

    def to_json(self) -> dict[str, int]:
        return {"requests_per_second": self.requests_per_second, "retry_after": self.retry_after}


def parse_rate_limit(spec: Any) -> RateLimit:
    if not isinstance(spec, dict):
        raise FaultError('a rate limit is a JSON object such as {"requests_per_second": 10}')
    unknown = sorted(set(spec) - {"requests_per_second", "retry_after"})
    if unknown:
        raise FaultError(f"unknown rate limit keys: {', '.join(unknown)}")
    limit = spec.get("requests_per_second")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise FaultError("requests_per_second must be a whole number of at least 1")
    retry_after = spec.get("retry_after", 1)
    if not isinstance(retry_after, int) or isinstance(retry_after, bool) or not 0 <= retry_after <= 3600:
        raise FaultError("retry_after must be a whole number of seconds from 0 to 3600")
    return RateLimit(limit, retry_after)


class FaultBook:
    """The rules and rate limit of one database, cached per process and re-read when changed.

    Every change is announced through the database's control counter once it
    is committed (see :meth:`Database.announce_control_change`), so a request
    reads one shared number instead of querying the database.
    """

    def __init__(self) -> None:
        self._seen = -1
        self._rules: list[FaultRule] = []
        self._limit: RateLimit | None = None

    # -- reading, on every request ----------------------------------------

    def control(self, db: Database) -> tuple[list[FaultRule], RateLimit | None]:
        """The current rules and rate limit (read from the database only after a change)."""
        seen = db.control_counter.value()
        if seen != self._seen:
            with db.read() as conn:
                rules = self._load(conn)
                limit, retry_after = conn.execute(
                    "SELECT rate_limit, rate_retry_after FROM control WHERE id = 1"
                ).fetchone()
            self._rules, self._limit = rules, RateLimit(limit, retry_after) if limit else None
            self._seen = seen
        return self._rules, self._limit

    @staticmethod
    def _load(conn: sqlite3.Connection) -> list[FaultRule]:
        rules = []
        for rule_id, text, remaining, applied in conn.execute(
            "SELECT id, rule, remaining, applied FROM faults ORDER BY id"
        ):
            rule = parse_rule(json.loads(text))
            rule.id, rule.remaining, rule.applied = rule_id, remaining, applied
            rules.append(rule)
        return rules

    @staticmethod
    def claim(conn: sqlite3.Connection, rule: FaultRule) -> bool:
        """Use the rule once (inside a write transaction); False when its uses ran out."""
        if rule.times is None:
            conn.execute("UPDATE faults SET applied = applied + 1 WHERE id = ?", (rule.id,))
            return True
        cursor = conn.execute(
            "UPDATE faults SET remaining = remaining - 1, applied = applied + 1"
            " WHERE id = ? AND remaining > 0",
            (rule.id,),
        )
        if cursor.rowcount == 0:
            rule.remaining = 0
            return False
        return True

    @staticmethod
    def candidates(rules: list[FaultRule], method: str, path: str) -> list[FaultRule]:
        """Rules that match and win their probability roll, in the order they were added."""
        return [
            rule
            for rule in rules
            if rule.remaining != 0
            and rule.matches(method, path)
            and (rule.probability is None or random.random() < rule.probability)
        ]

    @staticmethod
    def count_request(conn: sqlite3.Connection, limit: RateLimit) -> bool:
        """Count a request in this second's window (inside a write transaction); True if over the limit."""
        second = int(time.time())
        hits = conn.execute(
            "INSERT INTO rate_window (second, hits) VALUES (?, 1)"
            " ON CONFLICT (second) DO UPDATE SET hits = hits + 1 RETURNING hits",
            (second,),
        ).fetchone()[0]
        if hits == 1:
            conn.execute("DELETE FROM rate_window WHERE second < ?", (second,))
        return hits > limit.requests_per_second

    # -- administration ----------------------------------------------------

    def add(self, conn: sqlite3.Connection, rule: FaultRule) -> FaultRule:
        rule.id = conn.execute(
            "INSERT INTO faults (rule, remaining) VALUES (?, ?)", (json.dumps(rule.spec()), rule.times)
        ).lastrowid
        return rule

    def listing(self, conn: sqlite3.Connection) -> list[dict[str, Any]]:
        return [rule.to_json() for rule in self._load(conn)]

    def clear(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM faults")

    def remove(self, conn: sqlite3.Connection, rule_id: int) -> bool:
        return conn.execute("DELETE FROM faults WHERE id = ?", (rule_id,)).rowcount > 0

    def set_rate_limit(self, conn: sqlite3.Connection, limit: RateLimit | None) -> None:
        if limit is None:
            conn.execute("UPDATE control SET rate_limit = NULL, rate_retry_after = 1 WHERE id = 1")
            conn.execute("DELETE FROM rate_window")
        else:
            conn.execute(
                "UPDATE control SET rate_limit = ?, rate_retry_after = ? WHERE id = 1",
                (limit.requests_per_second, limit.retry_after),
            )
