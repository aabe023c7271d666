"""What changes between the requests two configurations build for the same event.

Pure logic: JSON differences as RFC 6901 pointers (``added``, ``removed``,
``changed``, and ``reordered`` where an object's keys keep their values but
not their order, which matters for ``userIdentities``), and the pairing of
two configurations' outcomes by subscription name, then by action.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reference import js_json
from reference.configuration import CompiledConfiguration, Outcome
from reference.errors import CordialHarnessError
from reference.requests import PreparedRequest

Op = Literal["added", "removed", "changed", "reordered"]
OutcomeKind = Literal[
    "request-added",
    "request-removed",
    "request-changed",
    "error-appeared",
    "error-disappeared",
    "error-changed",
]

#: Marks "no value" in a change (``old`` of an addition, ``new`` of a removal).
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()

_SECRET_HEADER = "x-api-key"
_REDACTED = "***"


@dataclass(frozen=True)
class Change:
    """One difference at ``path``; for ``reordered`` old and new are the common keys in order."""

    op: Op
    path: str
    old: Any = ABSENT
    new: Any = ABSENT

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.old is not ABSENT:
            out["old"] = self.old
        if self.new is not ABSENT:
            out["new"] = self.new
        return out


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _same_scalar(old: Any, new: Any) -> bool:
    """Equal as sent: the same JSON text (so ``1`` and ``1.0`` agree and ``true`` and ``1`` do not)."""
    return js_json.dumps(old) == js_json.dumps(new)


def diff_json(old: Any, new: Any, path: str = "") -> list[Change]:
    """The changes that turn ``old`` into ``new``, applied in order by :func:`apply_changes`.

    Objects are compared key by key and arrays index by index (removed items
    from the end backwards, then added items), so every path names a value a
    reviewer can find in the body.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_objects(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        return _diff_arrays(old, new, path)
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)) or not _same_scalar(old, new):
        return [Change("changed", path, old, new)]
    return []


def _diff_objects(old: dict, new: dict, path: str) -> list[Change]:
    changes: list[Change] = []
    for key, value in old.items():
        here = f"{path}/{_escape(key)}"
        if key in new:
            changes.extend(diff_json(value, new[key], here))
        else:
            changes.append(Change("removed", here, old=value))
    changes.extend(
        Change("added", f"{path}/{_escape(key)}", new=value) for key, value in new.items() if key not in old
    )
    kept_old = [key for key in old if key in new]
    kept_new = [key for key in new if key in old]
    if kept_old != kept_new:
        changes.append(Change("reordered", path, kept_old, kept_new))
    return changes


def _diff_arrays(old: list, new: list, path: str) -> list[Change]:
    changes: list[Change] = []
    for index in range(min(len(old), len(new))):
        changes.extend(diff_json(old[index], new[index], f"{path}/{index}"))
    changes.extend(
        Change("removed", f"{path}/{index}", old=old[index])
        for index in range(len(old) - 1, len(new) - 1, -1)
    )
    changes.extend(Change("added", f"{path}/{index}", new=new[index]) for index in range(len(old), len(new)))
    return changes


def apply_changes(document: Any, changes: Sequence[Change]) -> Any:
    """``document`` with ``changes`` applied (a new value; ``document`` is not modified)."""
    result = copy.deepcopy(document)
    for change in changes:
        result = _apply(result, change)
    return result


def _child(container: Any, segment: str) -> Any:
    return container[int(segment)] if isinstance(container, list) else container[segment]


def _apply(document: Any, change: Change) -> Any:
    segments = [_unescape(segment) for segment in change.path.split("/")[1:]]
    if change.op == "reordered":
        target = document
        for segment in segments:
            target = _child(target, segment)
        _reorder(target, change.new)
        return document
    if not segments:
        if change.op != "changed":
            raise ValueError(f"cannot apply {change.op!r} to the whole document")
        return copy.deepcopy(change.new)
    container = document
    for segment in segments[:-1]:
        container = _child(container, segment)
    last = segments[-1]
    if isinstance(container, list):
        index = int(last)
        if change.op == "removed":
            del container[index]
        elif change.op == "added":
            container.insert(index, copy.deepcopy(change.new))
        else:
            container[index] = copy.deepcopy(change.new)
    elif change.op == "removed":
        del container[last]
    else:
        container[last] = copy.deepcopy(change.new)
    return document


def _reorder(target: dict, order: Sequence[str]) -> None:
    """Put ``order``'s keys first, in that order, keeping the others after them."""
    items = {key: target[key] for key in order}
    items.update((key, value) for key, value in target.items() if key not in items)
    target.clear()
    target.update(items)


# -- outcomes ---------------------------------------------------------------------------------------


def request_document(request: PreparedRequest) -> dict[str, Any]:
    """The parts of a request a reviewer compares, each reachable by pointer (``/body/...``)."""
    out: dict[str, Any] = {"method": request.method, "url": request.url, "headers": dict(request.headers)}
    if request.json is not None:
        out["body"] = request.json
    return out


def _redacted(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if document is None or _SECRET_HEADER not in document.get("headers", {}):
        return document
    return {**document, "headers": {**document["headers"], _SECRET_HEADER: _REDACTED}}


def _redact_change(change: Change) -> Change:
    if change.path != f"/headers/{_SECRET_HEADER}":
        return change
    hide = lambda value: value if value is ABSENT else _REDACTED  # noqa: E731
    return Change(change.op, change.path, hide(change.old), hide(change.new))


@dataclass(frozen=True)
class OutcomeChange:
    """How one subscription's outcome for one event differs between the configurations.

    ``old``/``new`` are ``{"request": ...}`` or ``{"error": ...}`` (None when
    the subscription did not act on the event on that side); ``changes`` lists
    the request differences for ``request-changed``, the only kind whose JSON
    form gives the changes instead of both sides.
    """

    subscription: str
    action: str
    kind: OutcomeKind
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subscription": self.subscription, "action": self.action, "change": self.kind}
        if self.kind == "request-changed":
            out["changes"] = [change.to_json() for change in self.changes]
        else:
            out["old"] = self.old
            out["new"] = self.new
        return out


def pair_outcomes(
    old: Sequence[Outcome], new: Sequence[Outcome]
) -> list[tuple[Outcome | None, Outcome | None]]:
    """Pair outcomes by subscription name (the n-th of a name with the n-th), then leftovers by action."""

    def keyed(outcomes: Sequence[Outcome]) -> dict[tuple[str, int], Outcome]:
        seen: dict[str, int] = defaultdict(int)
        out = {}
        for outcome in outcomes:
            name = outcome.subscription.name
            out[(name, seen[name])] = outcome
            seen[name] += 1
        return out

    old_keyed, new_keyed = keyed(old), keyed(new)
    pairs: list[tuple[Outcome | None, Outcome | None]] = [
        (outcome, new_keyed.pop(key)) for key, outcome in list(old_keyed.items()) if key in new_keyed
    ]
    paired_old = {id(pair[0]) for pair in pairs}
    left_old = [outcome for outcome in old if id(outcome) not in paired_old]
    left_new: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in new_keyed.values():
        left_new[outcome.action].append(outcome)
    for outcome in left_old:
        candidates = left_new.get(outcome.action)
        pairs.append((outcome, candidates.pop(0) if candidates else None))
    pairs.extend((None, outcome) for outcomes in left_new.values() for outcome in outcomes)
    return pairs


def _side(outcome: Outcome | None, show_secrets: bool) -> dict[str, Any] | None:
    if outcome is None:
        return None
    if outcome.error is not None:
        return {"error": outcome.error.to_json()}
    assert outcome.request is not None
    document = request_document(outcome.request)
    return {"request": document if show_secrets else _redacted(document)}


def _kind(old: dict | None, new: dict | None) -> OutcomeKind | None:
    old_error, new_error = (side is not None and "error" in side for side in (old, new))
    if old is None:
        return "error-appeared" if new_error else "request-added"
    if new is None:
        return "error-disappeared" if old_error else "request-removed"
    if old_error and new_error:
        return None if old == new else "error-changed"
    if old_error:
        return "error-disappeared"
    if new_error:
        return "error-appeared"
    return "request-changed"


def diff_outcome(
    old: Outcome | None, new: Outcome | None, *, show_secrets: bool = False
) -> OutcomeChange | None:
    """The difference for one pair of outcomes, or None when both sides do the same."""
    old_side, new_side = _side(old, show_secrets=True), _side(new, show_secrets=True)
    kind = _kind(old_side, new_side)
    if kind is None:
        return None
    changes: list[Change] = []
    if kind == "request-changed":
        assert old_side is not None and new_side is not None
        changes = diff_json(old_side["request"], new_side["request"])
        if not changes:
            return None
        if not show_secrets:
            changes = [_redact_change(change) for change in changes]
    names = [outcome.subscription.name for outcome in (old, new) if outcome is not None]
    label = names[0] if len(set(names)) == 1 else f"{names[0]} → {names[1]}"
    action = (new or old).action  # type: ignore[union-attr]
    if not show_secrets:
        old_side, new_side = _side(old, False), _side(new, False)
    return OutcomeChange(label, action, kind, old_side, new_side, changes)


def diff_outcomes(
    old: Sequence[Outcome], new: Sequence[Outcome], *, show_secrets: bool = False
) -> list[OutcomeChange]:
    """Every subscription whose outcome for one event differs between the configurations."""
    changes = []
    for old_outcome, new_outcome in pair_outcomes(old, new):
        change = diff_outcome(old_outcome, new_outcome, show_secrets=show_secrets)
        if change is not None:
            changes.append(change)
    return changes


@dataclass(frozen=True)
class EventDiff:
    """Every difference one event shows between two configurations.

    ``failure`` is ``(old, new)`` when evaluating the event stops with an
    error on either side and the two errors differ.
    """

    changes: list[OutcomeChange]
    failure: tuple[str | None, str | None] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"changes": [change.to_json() for change in self.changes]}
        if self.failure is not None:
            out["failure"] = {"old": self.failure[0], "new": self.failure[1]}
        return out


def _all_outcomes(
    compiled: CompiledConfiguration, event: Mapping[str, Any]
) -> tuple[list[Outcome], str | None]:
    """The outcomes, and the error that stopped evaluation early (the outcomes before it are kept)."""
    outcomes: list[Outcome] = []
    try:
        for outcome in compiled.outcomes(event):
            outcomes.append(outcome)
    except CordialHarnessError as exc:
        return outcomes, f"{exc.kind}: {exc.message}"
    return outcomes, None


def diff_event(
    old: CompiledConfiguration,
    new: CompiledConfiguration,
    event: Mapping[str, Any],
    *,
    show_secrets: bool = False,
) -> EventDiff | None:
    """What changes for one event between the configurations, or None when nothing does."""
    old_outcomes, old_failure = _all_outcomes(old, event)
    new_outcomes, new_failure = _all_outcomes(new, event)
    changes = diff_outcomes(old_outcomes, new_outcomes, show_secrets=show_secrets)
    failure = None if old_failure == new_failure else (old_failure, new_failure)
    if not changes and failure is None:
        return None
    return EventDiff(changes, failure)
