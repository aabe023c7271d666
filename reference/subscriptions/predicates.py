"""Compiles a parsed subscription into one predicate over events, with production's semantics.

How production evaluates, and so how the predicate does:

* Groups short-circuit left to right (``and`` stops at the first miss, ``or``
  at the first hit), so a part that fails evaluation only fails events that
  reach it.
* ``=`` is strict text equality: only a string can equal anything, so
  ``properties.n = "5"`` misses the number 5 (``properties.n = 5`` is a numeric
  test).  ``!=`` is its negation: a missing field, ``null``, a number or a
  boolean all pass ``!= "x"``.
* ``<``, ``<=``, ``>``, ``>=``, numeric ``=``/``!=`` need the field to be a
  number (never a numeric string); the other side is converted with
  JavaScript's ``Number()`` (``"0x1F"`` is 31, ``"abc"`` is NaN and compares
  false, ``true`` is 1).
* ``contains``, ``match`` and their negations need the field to be a string:
  ``!contains(properties.a, "x")`` is false when ``a`` is missing or a number.
  Text is compared in UTF-16 code units, as JavaScript does.
* ``!= null`` (exists) and ``= null`` (not exists) treat a missing field and
  ``null`` alike; ``= true``/``= false`` need a real boolean.
* Paths split on ``.``, ``[`` and ``]`` (``properties.a[0]`` is ``a`` then
  ``0``, though brackets reach a path only when escaped) and are walked with
  plain JavaScript property access: arrays and strings have ``length`` and
  numeric indexes, every value inherits its prototype's properties, and a
  falsy value part-way stops the walk and *is* the result:
  ``properties.a.b = 0`` matches ``{"a": 0}``, ``properties.a.b = false``
  matches ``{"a": false}``.
* An empty path reads nothing (``properties\\.`` never exists); a path made
  only of separators, ``()`` and reading ``caller``/``arguments`` of a
  built-in function throw in production, which fails the event: here they
  raise :class:`~reference.errors.SubscriptionEvaluationError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from operator import eq, ge, gt, le, lt, ne
from typing import Any

from reference.errors import SubscriptionEvaluationError
from reference.js_values import needs_utf16_units, to_js_string, to_number, truthy, utf16_units
from reference.subscriptions.nodes import TARGET_FIELDS, Condition, EmptyGroup, Group, Node
from reference.subscriptions.property_access import RestrictedPropertyError, get_property, number_value

__all__ = ["Predicate", "compile_tree", "value_test"]

Predicate = Callable[[Mapping[str, Any]], bool]
Getter = Callable[[Mapping[str, Any]], Any]
ValueTest = Callable[[Any], bool]

_ABSENT = object()
_SEGMENT = re.compile(r"[^\[.\]]+")


def _never(_: Any) -> bool:
    return False


def _text_test(operator: str, expected: str) -> ValueTest:
    """Tests that need a string on the event side; UTF-16 aware when ``expected`` needs it."""
    if needs_utf16_units(expected):
        units = utf16_units(expected)
        checks: dict[str, ValueTest] = {
            "=": lambda a: isinstance(a, str) and utf16_units(a) == units,
            "!=": lambda a: not (isinstance(a, str) and utf16_units(a) == units),
            "contains": lambda a: isinstance(a, str) and units in utf16_units(a),
            "not_contains": lambda a: isinstance(a, str) and units not in utf16_units(a),
            "starts_with": lambda a: isinstance(a, str) and utf16_units(a).startswith(units),
            "not_starts_with": lambda a: isinstance(a, str) and not utf16_units(a).startswith(units),
            "ends_with": lambda a: isinstance(a, str) and utf16_units(a).endswith(units),
            "not_ends_with": lambda a: isinstance(a, str) and not utf16_units(a).endswith(units),
        }
    else:
        checks = {
            "=": lambda a: isinstance(a, str) and a == expected,
            "!=": lambda a: not (isinstance(a, str) and a == expected),
            "contains": lambda a: isinstance(a, str) and expected in a,
            "not_contains": lambda a: isinstance(a, str) and expected not in a,
            "starts_with": lambda a: isinstance(a, str) and a.startswith(expected),
            "not_starts_with": lambda a: isinstance(a, str) and not a.startswith(expected),
            "ends_with": lambda a: isinstance(a, str) and a.endswith(expected),
            "not_ends_with": lambda a: isinstance(a, str) and not a.endswith(expected),
        }
    return checks[operator]


_NUMBER_COMPARISONS: dict[str, Callable[[Any, float], bool]] = {
    "number_equals": eq,
    "number_not_equals": ne,
    "<": lt,
    "<=": le,
    ">": gt,
    ">=": ge,
}


def _number_test(name: str, expected: float) -> ValueTest:
    """Tests that need a number on the event side."""
    compare = _NUMBER_COMPARISONS[name]

    def check(actual: Any) -> bool:
        number = number_value(actual)
        return number is not None and compare(number, expected)

    return check


_TEXT_OPERATORS = frozenset(
    {"=", "!=", "contains", "not_contains", "starts_with", "not_starts_with", "ends_with", "not_ends_with"}
)
_PRESENCE_TESTS: dict[str, ValueTest] = {
    "exists": lambda a: a is not None,
    "not_exists": lambda a: a is None,
    "is_true": lambda a: a is True,
    "is_false": lambda a: a is False,
}


def value_test(operator: str, expected: str | float | bool | None) -> ValueTest:
    """What production's ``validateValue`` checks for ``operator``; unknown operators match nothing."""
    if operator in _PRESENCE_TESTS:
        return _PRESENCE_TESTS[operator]
    if expected is None:
        return _never
    if operator in _TEXT_OPERATORS:
        return _text_test(operator, to_js_string(expected))
    if operator in _NUMBER_COMPARISONS:
        return _number_test(operator, to_number(expected))
    return _never


class _Compiler:
    def __init__(self, source: str) -> None:
        self.source = source

    def failure(self, position: int, reason: str) -> SubscriptionEvaluationError:
        return SubscriptionEvaluationError(
            f"Subscription cannot be evaluated: {reason} (position {position}); production accepts this"
            " subscription but fails every event that reaches this part of it",
            subscription=self.source,
            position=position,
        )

    def node(self, node: Node) -> Predicate:
        if isinstance(node, Condition):
            return self.condition(node)
        if isinstance(node, EmptyGroup):
            return self.raising(node.position, "'()' holds no condition")
        return self.group(node)

    def group(self, group: Group) -> Predicate:
        children = tuple(self.node(child) for child in group.children)
        if group.operator == "and":
            if len(children) == 1:
                return children[0]
            if len(children) == 2:
                first, second = children
                return lambda event: first(event) and second(event)
            return lambda event: all(child(event) for child in children)
        if group.operator == "or":
            if len(children) == 1:
                return children[0]
            if len(children) == 2:
                first, second = children
                return lambda event: first(event) or second(event)
            return lambda event: any(child(event) for child in children)
        return _never

    def raising(self, position: int, reason: str) -> Predicate:
        failure = self.failure

        def fail(_: Mapping[str, Any]) -> bool:
            raise failure(position, reason)

        return fail

    def condition(self, condition: Condition) -> Predicate:
        test = value_test(condition.operator, condition.value)
        root = TARGET_FIELDS[condition.target]
        if condition.path is None:
            expected = condition.value
            if condition.operator == "=" and isinstance(expected, str) and not needs_utf16_units(expected):
                return lambda event: event.get(root) == expected
            return lambda event: test(event.get(root))
        getter = self.path_getter(root, condition)
        return lambda event: test(getter(event))

    def path_getter(self, root: str, condition: Condition) -> Getter:
        path = condition.path or ""
        if not path:
            return lambda _: None
        segments = tuple(_SEGMENT.findall(path))
        if not segments:
            return self.raising(
                condition.position, f"the path {root}.{path} has no property name, only '.', '[' or ']'"
            )
        failure = self.failure

        def get(event: Mapping[str, Any]) -> Any:
            value = event.get(root)
            try:
                for segment in segments:
                    if type(value) is dict:
                        found = value.get(segment, _ABSENT)
                        value = get_property(value, segment) if found is _ABSENT else found
                    elif not truthy(value):
                        return value
                    else:
                        value = get_property(value, segment)
            except RestrictedPropertyError as exc:
                raise failure(
                    condition.position,
                    f"reading {exc.args[0]!r} of a built-in function in {root}.{path} throws in JavaScript",
                ) from None
            return value

        return get


def compile_tree(tree: Group, source: str) -> Predicate:
    """One predicate for the whole subscription; it may raise SubscriptionEvaluationError."""
    return _Compiler(source).group(tree)
