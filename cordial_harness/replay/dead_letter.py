"""The dead-letter file: every line that was not delivered, with the reason, one JSON line each.

Malformed lines, events production rejects (validation, mapping) and
requests that failed for good (a non-retryable answer, or retries exhausted)
all land here with enough to understand and replay them: the line number,
the subscription, the error (status and body for delivery failures) and the
event itself (or the line's text when it was not JSON).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from reference import js_json
from reference.errors import CordialHarnessError

MALFORMED = "malformed"
REJECTED = "rejected"
FAILED = "failed"


def malformed_entry(line: int, data: bytes, message: str, line_id: Any = None) -> dict[str, Any]:
    """A line that holds no event (bad JSON, not an object, a bad wrapper)."""
    entry: dict[str, Any] = {"line": line, "reason": MALFORMED}
    if line_id is not None:
        entry["id"] = line_id
    entry["error"] = {"type": "InvalidInput", "message": message}
    entry["text"] = data.decode("utf-8", errors="replace").rstrip("\r\n")
    return entry


def outcome_entry(
    reason: str,
    line: int,
    event: dict[str, Any],
    line_id: Any,
    subscription: str,
    action: str,
    error: CordialHarnessError,
    *,
    key: str | None = None,
    attempts: int = 0,
) -> dict[str, Any]:
    """An event one subscription rejected, or whose request failed for good."""
    entry: dict[str, Any] = {"line": line, "reason": reason}
    if line_id is not None:
        entry["id"] = line_id
    message_id = event.get("messageId")
    if message_id is not None:
        entry["messageId"] = message_id
    entry["subscription"] = subscription
    entry["action"] = action
    if key is not None:
        entry["idempotencyKey"] = key
    if reason == FAILED:
        entry["attempts"] = attempts
    entry["error"] = error.to_json()
    entry["event"] = event
    return entry


class DeadLetterFile:
    """Appends entries; on resume, cut back to the length the checkpoint recorded.

    Entries written after the last checkpoint belong to lines the resumed run
    processes again, so cutting them keeps the file free of duplicates.
    """

    def __init__(self, path: Path, *, resume_size: int | None = None) -> None:
        self.path = path
        if resume_size is None:
            self._out = open(path, "wb")  # noqa: SIM115 - closed by close()
        else:
            self._out = open(path, "ab")  # noqa: SIM115 - closed by close()
            if self._out.tell() > resume_size:
                self._out.truncate(resume_size)
                self._out.seek(resume_size)

    def write(self, entries: list[dict[str, Any]]) -> None:
        """Write the entries of one completed line together."""
        out = self._out
        for entry in entries:
            out.write(js_json.dumps_bytes(entry))
            out.write(b"\n")

    def sync(self) -> int:
        """Flush to disk; the returned length is safe to record in a checkpoint."""
        self._out.flush()
        try:
            os.fsync(self._out.fileno())
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # a device such as /dev/null cannot sync
                raise
        return self._out.tell()

    def close(self) -> None:
        if not self._out.closed:
            self._out.flush()
            self._out.close()
