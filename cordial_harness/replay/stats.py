"""Counters of a replay, per subscription and overall.

Counts are added when a line is complete (every request of it delivered,
rejected or failed), the moment it enters the checkpoint; so the counters
saved in a checkpoint describe exactly the lines it holds, and a resumed run
continues them without counting anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

DELIVERED = "delivered"
REJECTED = "rejected"
FAILED = "failed"


@dataclass(slots=True)
class TargetStats:
    """One subscription: events it took, requests sent, 2xx answers, retries, rejections, failures."""

    name: str
    action: str
    events: int = 0
    sent: int = 0
    ok: int = 0
    retried: int = 0
    rejected: int = 0
    failed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_COUNTERS = ("events", "sent", "ok", "retried", "rejected", "failed")


@dataclass(slots=True)
class LineResult:
    """What happened to one request of a line: delivered, rejected or failed, after how many sends."""

    target_index: int
    result: str
    attempts: int = 0


class RunStats:
    """Overall and per-target counters; restorable from a checkpoint."""

    def __init__(self, targets: list[tuple[str, str]]) -> None:
        self.lines = 0
        self.events = 0
        self.unmatched = 0
        self.malformed = 0
        self.dead_lettered = 0
        self.targets = [TargetStats(name, action) for name, action in targets]

    def add_line(self, results: list[LineResult], *, malformed: bool = False, dead_letters: int = 0) -> None:
        """Count one completed line and its requests."""
        self.lines += 1
        self.dead_lettered += dead_letters
        if malformed:
            self.malformed += 1
            return
        self.events += 1
        if not results:
            self.unmatched += 1
            return
        for item in results:
            stats = self.targets[item.target_index]
            stats.events += 1
            stats.sent += item.attempts
            if item.attempts > 1:
                stats.retried += item.attempts - 1
            if item.result == DELIVERED:
                stats.ok += 1
            elif item.result == REJECTED:
                stats.rejected += 1
            else:
                stats.failed += 1

    def total(self, counter: str) -> int:
        return sum(getattr(stats, counter) for stats in self.targets)

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "events": self.events,
            "unmatched": self.unmatched,
            "malformed": self.malformed,
            "deadLettered": self.dead_lettered,
            "targets": [stats.to_json() for stats in self.targets],
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Continue the counters of an earlier run (targets are matched by name and action)."""
        for key, attribute in (
            ("lines", "lines"),
            ("events", "events"),
            ("unmatched", "unmatched"),
            ("malformed", "malformed"),
            ("deadLettered", "dead_lettered"),
        ):
            value = data.get(key, 0)
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self, attribute, value)
        saved = {
            (item.get("name"), item.get("action")): item
            for item in data.get("targets", [])
            if isinstance(item, dict)
        }
        for stats in self.targets:
            item = saved.get((stats.name, stats.action))
            if item is None:
                continue
            for counter in _COUNTERS:
                value = item.get(counter, 0)
                if isinstance(value, int) and not isinstance(value, bool):
                    setattr(stats, counter, value)
