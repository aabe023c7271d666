"""The SQLite database behind the mock: one schema, safe under threads and processes.

Two storage modes:

* in memory (the default): one connection guarded by a lock, so every thread of
  the process sees the same data and transactions never interleave;
* a file: one connection per thread and process, WAL journal, and
  ``BEGIN IMMEDIATE`` for every read-modify-write so concurrent writers from
  several server processes queue instead of losing updates.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

__all__ = ["Database", "SCHEMA", "STATE_TABLES"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    seq INTEGER PRIMARY KEY,
    cid TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE,
    subscribe_status TEXT NOT NULL DEFAULT 'none',
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contact_aliases (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    cid TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS contact_aliases_cid ON contact_aliases (cid);
CREATE TABLE IF NOT EXISTS attribute_index (
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    cid TEXT NOT NULL,
    PRIMARY KEY (name, value, cid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attribute_index_cid ON attribute_index (cid);
CREATE TABLE IF NOT EXISTS lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    enhanced INTEGER NOT NULL DEFAULT 0,
    group_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lists_group_id ON lists (group_id);
CREATE TABLE IF NOT EXISTS list_members (
    list_id INTEGER NOT NULL,
    cid TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (list_id, cid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS list_members_cid ON list_members (cid);
CREATE TABLE IF NOT EXISTS carts (
    cid TEXT PRIMARY KEY,
    details TEXT NOT NULL DEFAULT '{}',
    last_modified TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cart_items (
    cid TEXT NOT NULL,
    product_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (cid, product_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    cid TEXT,
    purchase_ts REAL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_cid ON orders (cid);
CREATE TABLE IF NOT EXISTS activities (
    seq INTEGER PRIMARY KEY,
    cid TEXT,
    action TEXT NOT NULL,
    ts REAL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_cid ON activities (cid);
CREATE TABLE IF NOT EXISTS idempotency (
    api_key TEXT NOT NULL,
    key TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (api_key, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    raw_path TEXT,
    query TEXT NOT NULL,
    surface TEXT,
    operation TEXT,
    headers TEXT NOT NULL,
    request_body BLOB,
    request_json INTEGER NOT NULL,
    status INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB,
    response_json INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    fault INTEGER,
    replayed INTEGER NOT NULL,
    dropped INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    remaining INTEGER,
    applied INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS control (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    faults_version INTEGER NOT NULL DEFAULT 0,
    rate_limit INTEGER,
    rate_retry_after INTEGER NOT NULL DEFAULT 1
);
INSERT OR IGNORE INTO control (id) VALUES (1);
CREATE TABLE IF NOT EXISTS rate_window (
    second INTEGER PRIMARY KEY,
    hits INTEGER NOT NULL
);
"""

#: Tables that hold Cordial's data (what ``/__admin/reset`` empties).
STATE_TABLES = (
    "contacts",
    "contact_aliases",
    "attribute_index",
    "lists",
    "list_members",
    "carts",
    "cart_items",
    "orders",
    "activities",
    "idempotency",
)


class _WriterLock:
    """One writer at a time across threads (a lock) and processes (``flock`` on ``<db>-lock``).

    SQLite would also serialise writers, but a writer that finds the database
    locked sleeps for at least a millisecond; waiting on ``flock`` wakes up as
    soon as the lock is free.
    """

    def __init__(self, db_path: str) -> None:
        self.path = f"{db_path}-lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    def _descriptor(self) -> int:
        # A child process must not share its parent's open file: flock would not exclude them.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


class Database:
    """Connections and transactions for one mock instance.

    ``path=None`` keeps everything in this process's memory; a path shares the
    data with every process that opens the same file (next to it, SQLite keeps
    ``-wal`` and ``-shm`` files and the mock a ``-lock`` file).
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._local = threading.local()
        self._memory_lock = threading.RLock()
        self._memory: sqlite3.Connection | None = None
        self._writer: _WriterLock | None = None
        if path is None:
            self._memory = self._open(":memory:")
            self._memory.executescript(SCHEMA)
        else:
            self._writer = _WriterLock(path)
            setup = self._open(path)
            try:
                with self._writer:
                    setup.execute("PRAGMA journal_mode=WAL")
                    setup.execute("BEGIN IMMEDIATE")
                    setup.executescript(SCHEMA)  # executescript commits the open transaction
            finally:
                setup.close()

    @staticmethod
    def _open(target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(target, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA synchronous=OFF")  # a test double: consistency yes, crash durability no
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _file_connection(self) -> sqlite3.Connection:
        """This thread's connection, reopened after a fork (a child never shares its parent's)."""
        local = self._local
        pid = os.getpid()
        conn = getattr(local, "conn", None)
        if conn is None or local.pid != pid:
            conn = self._open(self.path)  # type: ignore[arg-type]
            local.conn = conn
            local.pid = pid
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        if self._memory is not None:
            with self._memory_lock:
                yield from self._run(self._memory, begin)
        elif begin == "BEGIN IMMEDIATE":
            with self._writer:  # type: ignore[union-attr]
                yield from self._run(self._file_connection(), begin)
        else:
            yield from self._run(self._file_connection(), begin)

    @staticmethod
    def _run(conn: sqlite3.Connection, begin: str) -> Iterator[sqlite3.Connection]:
        conn.execute(begin)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement (no lost updates)."""
        return self._transaction("BEGIN IMMEDIATE")

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction that sees one consistent snapshot."""
        return self._transaction("BEGIN")

    def peek(self, sql: str, params: tuple = ()) -> tuple:
        """One row of one statement outside any explicit transaction (the cheapest read)."""
        if self._memory is not None:
            with self._memory_lock:
                return self._memory.execute(sql, params).fetchone()
        return self._file_connection().execute(sql, params).fetchone()

    def close(self) -> None:
        """Close this thread's connection (and the in-memory database, which is then gone)."""
        if self._memory is not None:
            self._memory.close()
            self._memory = None
            return
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
