"""Idempotency keys: the first answer to a key is kept and given again for the same key.

Keys are scoped by API key. Lookup and storage happen in the transaction
that applies the request, so two concurrent requests with one key apply it
once and both get the same answer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["HEADER", "MAX_KEY_LENGTH", "StoredAnswer", "lookup", "store"]

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    content_type: str
    body: bytes


def lookup(conn: sqlite3.Connection, api_key: str, key: str) -> StoredAnswer | None:
    row = conn.execute(
        "SELECT status, content_type, body FROM idempotency WHERE api_key = ? AND key = ?", (api_key, key)
    ).fetchone()
    return StoredAnswer(row[0], row[1], bytes(row[2])) if row else None


def store(conn: sqlite3.Connection, api_key: str, key: str, answer: StoredAnswer) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO idempotency (api_key, key, status, content_type, body) VALUES (?, ?, ?, ?, ?)",
        (api_key, key, answer.status, answer.content_type, answer.body),
    )
