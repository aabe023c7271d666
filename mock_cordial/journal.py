"""The request journal: every request to either surface, what it carried and what it got.

Entries are stored as JSON text next to the columns they are filtered by.
Bodies that are JSON are embedded as sent (no re-encoding); API keys never
reach the journal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "JOURNAL_LIMIT",
    "REDACTED",
    "Exchange",
    "redact_headers",
    "record",
    "entries",
    "clear",
    "parse_filters",
]

#: The journal keeps this many most recent entries.
JOURNAL_LIMIT = 20_000
REDACTED = "[redacted]"
_TRIM_EVERY = 500
_TEXT_LIMIT = 100_000
_SECRET_HEADERS = frozenset({"x-api-key", "cookie"})


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request headers with credentials replaced (the auth scheme is kept: ``Basic [redacted]``)."""
    out: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in _SECRET_HEADERS:
            value = REDACTED
        elif lowered in ("authorization", "proxy-authorization"):
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        out[name] = value
    return out


@dataclass
class Exchange:
    """One request and its answer, as the journal records it.

    ``request_json``/``response_json`` are the bodies' JSON text when they are
    JSON (embedded as is); otherwise the raw bytes are kept as text.
    """

    time: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    request_body: bytes
    request_json: bool
    surface: str | None
    operation: str | None
    status: int
    response_headers: dict[str, str]
    response_body: bytes
    response_json: bool
    verdict: dict[str, Any]
    duration_ms: float
    fault: int | None = None
    replayed: bool = False
    dropped: bool = False
    raw_path: str | None = None

    def to_text(self) -> str:
        head = {
            "time": self.time,
            "method": self.method,
            "path": self.path,
            **({"rawPath": self.raw_path} if self.raw_path is not None else {}),
            "query": self.query,
            "surface": self.surface,
            "operation": self.operation,
            "headers": self.headers,
            "verdict": self.verdict,
            "fault": self.fault,
            "replayed": self.replayed,
            "durationMs": round(self.duration_ms, 3),
        }
        response_head = {"status": self.status, "dropped": self.dropped, "headers": self.response_headers}
        return (
            json.dumps(head, separators=(",", ":"))[:-1]
            + ',"body":'
            + _body_text(self.request_body, self.request_json)
            + ',"response":'
            + json.dumps(response_head, separators=(",", ":"))[:-1]
            + ',"body":'
            + _body_text(self.response_body, self.response_json)
            + "}}"
        )


def _body_text(raw: bytes, is_json: bool) -> str:
    if not raw:
        return "null"
    if is_json:
        return raw.decode("utf-8")
    text = raw[:_TEXT_LIMIT].decode("utf-8", errors="replace")
    return json.dumps(text)


def record(conn: sqlite3.Connection, exchange: Exchange) -> int:
    """Append an entry (inside the caller's transaction); old entries beyond the limit are dropped."""
    seq = conn.execute(
        "INSERT INTO journal (entry, method, path, status) VALUES (?, ?, ?, ?)",
        (exchange.to_text(), exchange.method, exchange.path, exchange.status),
    ).lastrowid
    if seq % _TRIM_EVERY == 0:
        conn.execute("DELETE FROM journal WHERE seq <= ?", (seq - JOURNAL_LIMIT,))
    return seq


_STATUS_CLASS = re.compile(r"^[1-5]xx$", re.IGNORECASE)
_STATUS = re.compile(r"^[0-9]{1,3}$")


@dataclass(frozen=True)
class JournalFilter:
    path: str | None = None
    status: str | None = None
    method: str | None = None
    limit: int | None = None


def parse_filters(args: dict[str, str]) -> JournalFilter:
    """Filters from a query string; raises ValueError naming a bad one.

    ``path`` is a glob (``/api/segment/*``), ``status`` a code (``202``) or a
    class (``4xx``), ``method`` a method, ``limit`` the most recent N.
    """
    status = args.get("status")
    if status is not None and not (_STATUS.match(status) or _STATUS_CLASS.match(status)):
        raise ValueError(f"status must be a status code such as 202 or a class such as 4xx, got {status!r}")
    limit = args.get("limit")
    if limit is not None and (not limit.isascii() or not limit.isdigit() or len(limit) > 9):
        raise ValueError(f"limit must be a whole number, got {limit!r}")
    return JournalFilter(
        path=args.get("path"),
        status=status,
        method=args["method"].upper() if args.get("method") else None,
        limit=int(limit) if limit is not None else None,
    )


def entries(conn: sqlite3.Connection, filters: JournalFilter) -> list[dict[str, Any]]:
    """Entries oldest first (the most recent ``limit`` when given), each with its ``id``."""
    clauses, params = [], []
    if filters.path:
        clauses.append("path GLOB ?")
        params.append(filters.path)
    if filters.status:
        if _STATUS_CLASS.match(filters.status):
            low = int(filters.status[0]) * 100
            clauses.append("status BETWEEN ? AND ?")
            params.extend((low, low + 99))
        else:
            clauses.append("status = ?")
            params.append(int(filters.status))
    if filters.method:
        clauses.append("method = ?")
        params.append(filters.method)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    if filters.limit is not None:
        recent = f"SELECT seq, entry FROM journal{where} ORDER BY seq DESC LIMIT ?"
        sql = f"SELECT seq, entry FROM ({recent}) ORDER BY seq"
        params.append(filters.limit)
    else:
        sql = f"SELECT seq, entry FROM journal{where} ORDER BY seq"
    out = []
    for seq, text in conn.execute(sql, params):
        entry = json.loads(text)
        out.append({"id": seq, **entry})
    return out


def clear(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM journal")
