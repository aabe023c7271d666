"""Where a replay stands, so that a resumed run sends neither a duplicate nor a gap.

Lines complete out of order (N requests are in flight and some are retried).
The checkpoint keeps a contiguous *watermark*, the last line before which
every line is done, with the byte offset just after it so a resumed run seeks
instead of rescanning, plus the lines above it that are already done.  It is
written to a temporary file and moved into place, so a kill at any moment
leaves either the previous checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reference import js_json

FORMAT = "cordial-harness/replay-checkpoint"
VERSION = 1
#: How much of the start of the events file identifies it.
HEAD_BYTES = 64 * 1024
#: More completed lines above the watermark than any run keeps open: the file was not written by replay.
MAX_COMPLETED_ABOVE = 10_000_000


class CheckpointError(Exception):
    """A checkpoint file that cannot be used; the message says why."""


class CompletionTracker:
    """Lines dispatched in file order and completed in any order; the watermark follows them.

    Only lines between the watermark and the read position are held, so
    memory is bounded by how far reading may run ahead (see the engine's window).
    """

    def __init__(self, line: int = 0, offset: int = 0) -> None:
        self.line = line
        self.offset = offset
        self._order: deque[int] = deque()
        self._ends: dict[int, int] = {}
        self._done: set[int] = set()

    def dispatch(self, number: int, end: int) -> None:
        """Register a line (in increasing line order) that is now being processed."""
        self._order.append(number)
        self._ends[number] = end

    def complete(self, number: int) -> int:
        """Mark a dispatched line done; returns how many lines the watermark moved past."""
        self._done.add(number)
        moved = 0
        order, done = self._order, self._done
        while order and order[0] in done:
            first = order.popleft()
            done.discard(first)
            self.line = first
            self.offset = self._ends.pop(first)
            moved += 1
        return moved

    @property
    def open_lines(self) -> int:
        """Lines dispatched and not yet passed by the watermark (done or not)."""
        return len(self._order)

    @property
    def pending(self) -> int:
        """Lines dispatched and not done."""
        return len(self._order) - len(self._done)

    def completed_above(self) -> list[int]:
        """Lines done above the watermark, ascending."""
        return sorted(self._done)


def to_ranges(numbers: Iterable[int]) -> list[list[int]]:
    """Ascending numbers as inclusive ``[first, last]`` runs (compact in the file)."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ranges


def from_ranges(ranges: Any) -> set[int]:
    """The numbers of ``[first, last]`` runs; raises CheckpointError for anything else."""
    if not isinstance(ranges, list):
        raise CheckpointError("'completedAbove' must be a list of [first, last] line ranges")
    out: set[int] = set()
    total = 0
    for item in ranges:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in item)
            or item[0] > item[1]
        ):
            raise CheckpointError(f"'completedAbove' holds {item!r}, not a [first, last] line range")
        total += item[1] - item[0] + 1
        if total > MAX_COMPLETED_ABOVE:
            raise CheckpointError("'completedAbove' lists more lines than a replay ever holds open")
        out.update(range(item[0], item[1] + 1))
    return out


@dataclass(frozen=True)
class SourceIdentity:
    """What identifies the events file: its path and a hash of its first bytes."""

    path: str
    head_sha256: str
    head_length: int

    @classmethod
    def of(cls, path: Path, stream: BinaryIO, length: int = HEAD_BYTES) -> SourceIdentity:
        """Hash the first ``length`` bytes (fewer when the file is shorter)."""
        stream.seek(0)
        head = stream.read(length)
        stream.seek(0)
        return cls(str(path.resolve()), hashlib.sha256(head).hexdigest(), len(head))

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "headSha256": self.head_sha256, "headLength": self.head_length}


@dataclass
class Checkpoint:
    """Everything a resumed run needs: position, completed lines, dead-letter length and counters."""

    source: SourceIdentity
    configuration_sha256: str
    line: int = 0
    offset: int = 0
    completed_above: set[int] = field(default_factory=set)
    dead_letter_size: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    complete: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "source": self.source.to_json(),
            "configurationSha256": self.configuration_sha256,
            "watermark": {"line": self.line, "offset": self.offset},
            "completedAbove": to_ranges(sorted(self.completed_above)),
            "deadLetterSize": self.dead_letter_size,
            "complete": self.complete,
            "stats": self.stats,
        }

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        """Parse a checkpoint document; raises CheckpointError naming what is wrong."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CheckpointError("not a replay checkpoint")
        if data.get("version") != VERSION:
            raise CheckpointError(f"checkpoint version {data.get('version')!r} is not {VERSION}")
        try:
            source = data["source"]
            watermark = data["watermark"]
            identity = SourceIdentity(source["path"], source["headSha256"], source["headLength"])
            checkpoint = cls(
                source=identity,
                configuration_sha256=data["configurationSha256"],
                line=watermark["line"],
                offset=watermark["offset"],
                completed_above=from_ranges(data["completedAbove"]),
                dead_letter_size=data["deadLetterSize"],
                stats=data["stats"],
                complete=data["complete"],
            )
        except (KeyError, TypeError) as exc:
            raise CheckpointError(f"checkpoint is missing {exc}") from None
        for name in ("line", "offset", "dead_letter_size"):
            value = getattr(checkpoint, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise CheckpointError(f"checkpoint {name} must be a whole number, got {value!r}")
        if not isinstance(checkpoint.stats, dict) or not isinstance(checkpoint.complete, bool):
            raise CheckpointError("checkpoint 'stats' must be an object and 'complete' true or false")
        if any(number <= checkpoint.line for number in checkpoint.completed_above):
            raise CheckpointError("checkpoint lists completed lines below its watermark")
        return checkpoint

    def check_source(self, identity: SourceIdentity, size: int) -> None:
        """Refuse to resume over a different or truncated events file (appended lines are fine).

        ``identity`` must hash as many bytes as the checkpoint's (``source.head_length``).
        """
        if identity.head_length != self.source.head_length or identity.head_sha256 != self.source.head_sha256:
            raise CheckpointError(
                f"it was written for {self.source.path}, whose first bytes differ from this file's"
            )
        if size < self.offset:
            raise CheckpointError(f"the events file is shorter ({size} bytes) than the checkpoint's position")


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The checkpoint at ``path``, None when there is none; raises CheckpointError when unreadable."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointError(f"cannot read it: {exc.strerror or exc}") from None
    try:
        data = js_json.loads(text)
    except ValueError as exc:
        raise CheckpointError(f"it is not valid JSON ({exc})") from None
    return Checkpoint.from_json(data)


def write_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Write atomically: a temporary file beside it, synced, then moved over the old one."""
    temporary = path.with_name(path.name + ".tmp")
    data = js_json.dumps_bytes(checkpoint.to_json())
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def configuration_fingerprint(value: Any) -> str:
    """A hash of the configuration, to warn when a run is resumed with another one."""
    return hashlib.sha256(js_json.dumps_bytes(value)).hexdigest()
