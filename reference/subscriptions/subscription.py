"""A parsed subscription: production's verdict on which events an action receives."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from reference.errors import InvalidEventError, SubscriptionSyntaxError
from reference.js_values import utf16_units
from reference.subscriptions.lexer import lex
from reference.subscriptions.nodes import Group
from reference.subscriptions.parser import parse_tokens
from reference.subscriptions.predicates import Predicate, compile_tree

__all__ = ["Subscription", "parse_subscription", "matches"]


class Subscription:
    """A compiled subscription; ``matches`` answers what production's ``validate`` answers.

    ``tree`` is the condition tree production's parser builds (useful to see
    how a subscription was actually understood, e.g. how ``and``/``or`` were
    grouped).
    """

    __slots__ = ("source", "tree", "_predicate")

    def __init__(self, source: str, tree: Group, predicate: Predicate) -> None:
        self.source = source
        self.tree = tree
        self._predicate = predicate

    def matches(self, event: Mapping[str, Any]) -> bool:
        """Whether ``event`` (a JSON object) is subscribed.

        Raises InvalidEventError when ``event`` is not a mapping, and
        SubscriptionEvaluationError where production's evaluator throws.
        """
        if type(event) is not dict and not isinstance(event, Mapping):
            raise InvalidEventError(f"event must be a JSON object, got {type(event).__name__}")
        return self._predicate(event)

    def __repr__(self) -> str:
        return f"Subscription({self.source!r})"


@lru_cache(maxsize=1024)
def _parse(source: str) -> Subscription:
    tree = parse_tokens(source, utf16_units(source), lex(source))
    return Subscription(source, tree, compile_tree(tree, source))


def parse_subscription(text: str) -> Subscription:
    """Parse and compile ``text`` once (cached); raises SubscriptionSyntaxError where production does."""
    if not isinstance(text, str):
        raise SubscriptionSyntaxError(
            f"Invalid subscription: a subscription must be a string, got {type(text).__name__}",
            subscription=repr(text),
        )
    return _parse(str(text))


def matches(text: str, event: Mapping[str, Any]) -> bool:
    """Whether ``event`` matches the subscription ``text`` (parsed once, then cached)."""
    return parse_subscription(text).matches(event)
