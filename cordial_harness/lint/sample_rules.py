"""Rules that need events: run sample events through each subscription and its pipeline.

The check is fed one event at a time and keeps only counts, so a large
sample file costs no memory; findings come out once every event is seen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cordial_harness.lint.findings import Finding, finding, json_pointer
from cordial_harness.lint.structure import SubscriptionEntry
from reference.errors import CordialHarnessError, PayloadValidationError
from reference.pipeline import CompiledAction
from reference.subscriptions import Subscription, parse_subscription

_INDEX = re.compile(r"/\d+(?=/|$)")


def normalized_field(pointer: str) -> str:
    """A payload pointer with array indexes as ``*`` (``/items/3/sku`` -> ``/items/*/sku``)."""
    return _INDEX.sub("/*", pointer)


@dataclass
class _Tally:
    entry: SubscriptionEntry
    subscription: Subscription
    action: CompiledAction
    skip_fields: frozenset[str]
    matched: int = 0
    evaluation_errors: int = 0
    first_evaluation_error: str = ""
    missing: dict[str, int] = field(default_factory=dict)
    example: dict[str, tuple[str, str]] = field(default_factory=dict)


class SampleCheck:
    """Counts, per subscription, the sample events it matches and the required fields they lack."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.events = 0
        self._tallies: list[_Tally] = []

    def watch(self, entry: SubscriptionEntry, already_reported: frozenset[str] = frozenset()) -> None:
        """Include a subscription whose action, mapping and subscription text are all valid."""
        if entry.definition is None or entry.subscribe is None:
            return
        try:
            subscription = parse_subscription(entry.subscribe)
            action = CompiledAction(
                entry.definition.name, entry.mapping, use_default_mappings=entry.use_default_mappings
            )
        except CordialHarnessError:
            return
        self._tallies.append(_Tally(entry, subscription, action, already_reported))

    def add(self, event_id: str, event: Mapping[str, Any]) -> None:
        """Run one sample event through every watched subscription."""
        self.events += 1
        for tally in self._tallies:
            try:
                if not tally.subscription.matches(event):
                    continue
            except CordialHarnessError as exc:
                tally.evaluation_errors += 1
                tally.first_evaluation_error = tally.first_evaluation_error or f"{event_id}: {exc.message}"
                continue
            tally.matched += 1
            try:
                tally.action.payload(event)
            except PayloadValidationError as exc:
                missing = {
                    normalized_field(error["field"]): error["message"]
                    for error in exc.errors
                    if error.get("keyword") == "required"
                }
                for name, message in missing.items():
                    tally.missing[name] = tally.missing.get(name, 0) + 1
                    tally.example.setdefault(name, (event_id, message))
            except CordialHarnessError:
                continue

    def findings(self) -> list[Finding]:
        """The sample rules' verdicts for every watched subscription."""
        found = []
        for tally in self._tallies:
            found.extend(self._verdicts(tally))
        return found

    def _verdicts(self, tally: _Tally) -> list[Finding]:
        entry = tally.entry
        found = []
        if tally.evaluation_errors:
            message = (
                f"production fails while matching {tally.evaluation_errors} sample event(s) "
                f"(first: {tally.first_evaluation_error}); those events are neither sent nor skipped"
            )
            found.append(
                finding("subscription-evaluation-error", message, entry.subscribe_pointer, **entry.where())
            )
        if tally.matched == 0:
            if not tally.evaluation_errors:
                message = (
                    f"{entry.subscribe!r} matches none of the {self.events} sample events in {self.source}"
                )
                found.append(
                    finding("subscription-never-matches", message, entry.subscribe_pointer, **entry.where())
                )
            return found
        for name, count in tally.missing.items():
            if count < tally.matched or name in tally.skip_fields:
                continue
            event_id, example = tally.example[name]
            top = name.split("/")[1]
            message = (
                f"required {name} is missing on all {count} sample event(s) this subscription matches, "
                f"so production sends none of them (e.g. {event_id}: {example})"
            )
            pointer = entry.mapping_pointer + (json_pointer(top) if top in entry.mapping else "")
            found.append(finding("required-missing-on-samples", message, pointer, **entry.where()))
        return found
