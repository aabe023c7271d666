"""The SQLite database behind the mock: one schema, safe under threads and processes.

Two storage modes:

* in memory (the default): one connection guarded by a lock, so every thread of
  the process sees the same data and transactions never interleave;
* a file: one connection per thread and process, WAL journal, and
  ``BEGIN IMMEDIATE`` for every read-modify-write so concurrent writers from
  several server processes queue instead of losing updates.

Durability is traded away (``synchronous=OFF``): a test double needs
consistency, not data that survives a power cut. The file is not mapped into
memory (``mmap_size``): the database grows with every checkpoint, each
growth remaps it, and the page faults that follow cost more than the
``read()`` calls they save.

:class:`ControlCounter` tells every process cheaply that fault rules or the
rate limit changed, so requests need not ask the database each time.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import sqlite3
import struct
import threading
from contextlib import AbstractContextManager
from typing import Any

__all__ = ["Database", "ControlCounter", "SCHEMA", "STATE_TABLES"]


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


class ControlCounter:
    """A number every process of one mock reads for free and bumps when faults or the rate limit change.

    In memory it is an attribute; with a file it is 8 bytes of ``<db>-control``
    mapped into each process, so reading it is a memory access, not a system
    call. Bump it after the change is committed: a process that sees the new
    number then reloads and finds the change.
    """

    _FORMAT = struct.Struct("<Q")

    def __init__(self, db_path: str | None) -> None:
        self.path = None if db_path is None else f"{db_path}-control"
        self._value = 0
        self._map: mmap.mmap | None = None
        self._pid: int | None = None

    def _mapped(self) -> mmap.mmap:
        if self._map is None or self._pid != os.getpid():
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # type: ignore[arg-type]
            try:
                if os.fstat(fd).st_size < self._FORMAT.size:
                    os.ftruncate(fd, self._FORMAT.size)
                self._map = mmap.mmap(fd, self._FORMAT.size)
            finally:
                os.close(fd)
            self._pid = os.getpid()
        return self._map

    def value(self) -> int:
        if self.path is None:
            return self._value
        return self._FORMAT.unpack_from(self._mapped())[0]

    def bump(self) -> None:
        """Announce a committed change (call it while holding the database's writer lock)."""
        if self.path is None:
            self._value += 1
            return
        mapped = self._mapped()
        self._FORMAT.pack_into(mapped, 0, (self._FORMAT.unpack_from(mapped)[0] + 1) & 0xFFFFFFFFFFFFFFFF)


class _Transaction:
    """``with``: take the lock (if any), begin; commit on success, roll back on any error, unlock."""

    __slots__ = ("_conn", "_begin", "_lock")

    def __init__(self, conn: sqlite3.Connection, begin: str, lock: Any) -> None:
        self._conn = conn
        self._begin = begin
        self._lock = lock

    def __enter__(self) -> sqlite3.Connection:
        lock = self._lock
        if lock is not None:
            lock.__enter__()
        try:
            self._conn.execute(self._begin)
        except BaseException:
            if lock is not None:
                lock.__exit__(None, None, None)
            raise
        return self._conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        conn = self._conn
        try:
            if exc_type is None:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")  # a failed COMMIT leaves the transaction open
                    raise
            else:
                conn.execute("ROLLBACK")
        finally:
            if self._lock is not None:
                self._lock.__exit__(None, None, None)
        return False


class Database:
    """Connections and transactions for one mock instance.

    ``path=None`` keeps everything in this process's memory; a path shares the
    data with every process that opens the same file (next to it, SQLite keeps
    ``-wal`` and ``-shm`` files and the mock ``-lock`` and ``-control`` files).
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._local = threading.local()
        self._memory_lock = threading.RLock()
        self._memory: sqlite3.Connection | None = None
        self._writer: _WriterLock | None = None
        self.control_counter = ControlCounter(path)
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
        conn = sqlite3.connect(
            target, timeout=30.0, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        conn.execute("PRAGMA synchronous=OFF")  # a test double: consistency yes, crash durability no
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA temp_store=MEMORY")
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

    def _transaction(self, begin: str) -> _Transaction:
        if self._memory is not None:
            return _Transaction(self._memory, begin, self._memory_lock)
        if begin == "BEGIN IMMEDIATE":
            return _Transaction(self._file_connection(), begin, self._writer)
        return _Transaction(self._file_connection(), begin, None)

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement (no lost updates)."""
        return self._transaction("BEGIN IMMEDIATE")

    def announce_control_change(self) -> None:
        """Tell every process that fault rules or the rate limit changed (after the change is committed)."""
        if self._writer is None:
            with self._memory_lock:
                self.control_counter.bump()
        else:
            with self._writer:
                self.control_counter.bump()

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction that sees one consistent snapshot."""
        return self._transaction("BEGIN")

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
