"""The request journal: every request to either surface, what it carried and what it got.

An entry is written in the transaction of the request it records, one column
per field, and only turned into JSON when read (recording is on every
request's path, reading is rare). API keys never reach the journal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

__all__ = [
    "JOURNAL_LIMIT",
    "BODY_LIMIT",
    "REDACTED",
    "Exchange",
    "JournalFilter",
    "environ_headers",
    "record",
    "entries",
    "clear",
    "parse_filters",
]

#: The journal keeps this many most recent entries.
JOURNAL_LIMIT = 20_000
#: Bodies longer than this are kept cut short (as text), so the journal stays small.
BODY_LIMIT = 64 * 1024
REDACTED = "[redacted]"
_TRIM_EVERY = 500
_SECRET_KEYS = frozenset({"HTTP_X_API_KEY", "HTTP_COOKIE"})
_AUTH_KEYS = frozenset({"HTTP_AUTHORIZATION", "HTTP_PROXY_AUTHORIZATION"})
_BODY_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")


def environ_headers(environ: dict[str, Any]) -> list[list[str]]:
    """The request headers as WSGI names (``HTTP_X_API_KEY``) and values, credentials redacted."""
    headers = [
        [key, value] for key, value in environ.items() if key[:5] == "HTTP_" or (key in _BODY_KEYS and value)
    ]
    for pair in headers:
        key = pair[0]
        if key in _SECRET_KEYS:
            pair[1] = REDACTED
        elif key in _AUTH_KEYS:
            value = pair[1]
            scheme = value.split(" ", 1)[0] if " " in value else ""
            pair[1] = f"{scheme} {REDACTED}".strip()
    return headers


def _header_name(wsgi_key: str) -> str:
    name = wsgi_key[5:] if wsgi_key.startswith("HTTP_") else wsgi_key
    return name.replace("_", "-").title()


@dataclass
class Exchange:
    """One request and its answer, as the journal records it.

    ``headers`` is the JSON text of :func:`environ_headers`, ``verdict`` the
    contract verdict's JSON text; bodies are the bytes as sent, flagged when
    they are JSON (they are then shown parsed).
    """

    time: str
    method: str
    path: str
    query: str
    headers: str
    request_body: bytes
    request_json: bool
    surface: str | None
    operation: str | None
    status: int
    response_headers: dict[str, str]
    response_body: bytes
    response_json: bool
    verdict: str
    duration_ms: float
    fault: int | None = None
    replayed: bool = False
    dropped: bool = False
    raw_path: str | None = None


_INSERT = (
    "INSERT INTO journal (time, method, path, raw_path, query, surface, operation, headers, request_body,"
    " request_json, status, response_headers, response_body, response_json, verdict, duration_ms, fault,"
    " replayed, dropped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _kept(body: bytes, is_json: bool) -> tuple[bytes, bool]:
    if len(body) <= BODY_LIMIT:
        return body, is_json
    return body[:BODY_LIMIT] + f"... ({len(body)} bytes in all)".encode(), False


_HEADERS_JSON: dict[tuple[tuple[str, str], ...], str] = {}


def _headers_json(headers: dict[str, str]) -> str:
    """The JSON text of response headers; the few usual sets are worked out once."""
    key = tuple(headers.items())
    text = _HEADERS_JSON.get(key)
    if text is None:
        text = json.dumps(headers) if headers else "{}"
        if len(_HEADERS_JSON) < 64:
            _HEADERS_JSON[key] = text
    return text


def record(conn: sqlite3.Connection, exchange: Exchange) -> int:
    """Append an entry (inside the caller's transaction); old entries beyond the limit are dropped."""
    request_body, request_json = _kept(exchange.request_body, exchange.request_json)
    response_body, response_json = _kept(exchange.response_body, exchange.response_json)
    seq = conn.execute(
        _INSERT,
        (
            exchange.time,
            exchange.method,
            exchange.path,
            exchange.raw_path,
            exchange.query,
            exchange.surface,
            exchange.operation,
            exchange.headers,
            request_body,
            request_json,
            exchange.status,
            _headers_json(exchange.response_headers),
            response_body,
            response_json,
            exchange.verdict,
            exchange.duration_ms,
            exchange.fault,
            exchange.replayed,
            exchange.dropped,
        ),
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
    unknown = sorted(set(args) - {"path", "status", "method", "limit"})
    if unknown:
        raise ValueError(f"unknown filters: {', '.join(unknown)} (known: path, status, method, limit)")
    status = args.get("status")
    if status is not None and not (_STATUS.match(status) or _STATUS_CLASS.match(status)):
        raise ValueError(f"status must be a status code such as 202 or a class such as 4xx, got {status!r}")
    limit = args.get("limit")
    if limit is not None and (not limit.isascii() or not limit.isdigit() or len(limit) > 9):
        raise ValueError(f"limit must be a whole number, got {limit!r}")
    return JournalFilter(
        path=args.get("path") or None,
        status=status,
        method=args["method"].upper() if args.get("method") else None,
        limit=int(limit) if limit is not None else None,
    )


_COLUMNS = (
    "seq, time, method, path, raw_path, query, surface, operation, headers, request_body, request_json,"
    " status, response_headers, response_body, response_json, verdict, duration_ms, fault, replayed, dropped"
)


def _body(raw: bytes | None, is_json: bool) -> Any:
    if not raw:
        return None
    if is_json:
        return json.loads(raw)
    return bytes(raw).decode("utf-8", errors="replace")


def _entry(row: tuple) -> dict[str, Any]:
    (seq, time, method, path, raw_path, query, surface, operation, headers, request_body, request_json,
     status, response_headers, response_body, response_json, verdict, duration_ms, fault, replayed,
     dropped) = row  # fmt: skip
    entry: dict[str, Any] = {"id": seq, "time": time, "method": method, "path": path}
    if raw_path is not None:
        entry["rawPath"] = raw_path
    entry.update(
        {
            "query": query,
            "surface": surface,
            "operation": operation,
            "headers": {_header_name(name): value for name, value in json.loads(headers)},
            "body": _body(request_body, bool(request_json)),
            "response": {
                "status": status,
                "dropped": bool(dropped),
                "headers": json.loads(response_headers),
                "body": _body(response_body, bool(response_json)),
            },
            "verdict": json.loads(verdict),
            "fault": fault,
            "replayed": bool(replayed),
            "durationMs": round(duration_ms, 3),
        }
    )
    return entry


def entries(conn: sqlite3.Connection, filters: JournalFilter) -> list[dict[str, Any]]:
    """Entries oldest first (the most recent ``limit`` when given)."""
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
        recent = f"SELECT {_COLUMNS} FROM journal{where} ORDER BY seq DESC LIMIT ?"
        sql = f"SELECT * FROM ({recent}) ORDER BY seq"
        params.append(filters.limit)
    else:
        sql = f"SELECT {_COLUMNS} FROM journal{where} ORDER BY seq"
    return [_entry(row) for row in conn.execute(sql, params)]


def clear(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM journal")
