"""The parsed form of a subscription, as production's parser builds it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Condition", "Group", "EmptyGroup", "Node", "TARGET_FIELDS"]

#: Where each condition target reads from the event (``properties``... are roots of a path).
TARGET_FIELDS = {
    "event-type": "type",
    "event": "event",
    "name": "name",
    "userId": "userId",
    "event-property": "properties",
    "event-trait": "traits",
    "event-context": "context",
}


@dataclass(frozen=True)
class Condition:
    """One test of one event field.

    ``operator`` is whatever text production put there: besides ``=``, ``!=``,
    ``<``... the parser derives ``exists``, ``not_exists``, ``is_true``,
    ``is_false``, ``number_equals``, ``number_not_equals``, ``contains``,
    ``starts_with``, ``ends_with`` and their ``not_`` forms, and any other
    token text that lands in the operator position is kept as is (it matches
    nothing unless it happens to spell one of those names).
    ``value`` is the JavaScript value compared against (a float for numbers),
    ``None`` for the operators that take none.  ``path`` is the dot path under
    ``properties``/``traits``/``context`` (``None`` for the other targets).
    ``position`` is where the condition starts in the subscription.
    """

    target: str
    operator: str
    value: str | float | bool | None
    path: str | None
    position: int


@dataclass(frozen=True)
class EmptyGroup:
    """Parentheses that hold no condition production recognizes.

    Production keeps a hole in the tree for them; its evaluator fails on every
    event that reaches the hole.
    """

    position: int


@dataclass(frozen=True)
class Group:
    """Children joined by one operator, ``and`` or ``or``."""

    operator: str
    children: tuple[Node, ...]


Node = Condition | Group | EmptyGroup
