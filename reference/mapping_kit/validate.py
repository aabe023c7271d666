"""Production's mapping validation: which mappings are rejected before any event.

The rules and messages follow production's validator: a directive object has
exactly one ``@``-key (``_metadata`` may sit beside it), the directive must be
known, and each directive's arguments have the types production checks.
Nested plain objects are checked key by key and problems in sibling keys are
all reported; array items, and the contents of raw values given to
``@literal``, ``@if``, ``@json``, ``@flatten`` and ``@excludeWhenNull``, are
not inspected (production resolves them without checking).

Every message starts with the place in the mapping, e.g.
``/items/@arrayPath/1/productID should be a string or a mapping directive but
it is a number.``  Production drops the item index inside ``@arrayPath`` and
the whole location inside ``@merge``'s objects; here the full place is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reference.errors import InvalidMappingError
from reference.js_json import UNDEFINED, dumps, type_name
from reference.js_values import utf16_length

__all__ = ["validate_mapping_tree", "MAX_PATTERN_LENGTH", "MAX_REPLACEMENT_LENGTH"]

MAX_PATTERN_LENGTH = 10
MAX_REPLACEMENT_LENGTH = 10

Stack = tuple[str, ...]
Validator = Callable[[Any, Stack], None]


class _Problem(Exception):
    """One or more places in the mapping that production rejects."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _fail(text: str, stack: Stack) -> _Problem:
    pointer = "/" + "/".join(stack)
    return _Problem([(pointer, f"{pointer} {text}.")])


def _article(kind: str) -> str:
    return "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"


def _kind(value: Any) -> str:
    """``realTypeOf`` with objects holding an ``@`` key reported as ``directive``."""
    name = type_name(value)
    if name == "object" and any(key.startswith("@") for key in value):
        return "directive"
    return name


def _collect(checks: Sequence[Callable[[], None]]) -> None:
    """Run every check and raise all their problems together."""
    problems: list[tuple[str, str]] = []
    for check in checks:
        try:
            check()
        except _Problem as problem:
            problems.extend(problem.problems)
    if problems:
        raise _Problem(problems)


def _validate_directive(obj: dict, stack: Stack) -> None:
    keys = list(obj)
    directive_keys = [key for key in keys if key.startswith("@")]
    if len(directive_keys) > 1:
        raise _fail(f"should only have one @-prefixed key but it has {len(directive_keys)} keys", stack)
    if any(not key.startswith("@") and key != "_metadata" for key in keys):
        raise _fail(f"should only have one @-prefixed key but it has {len(keys)} keys", stack)
    name = directive_keys[0]
    check = _DIRECTIVES.get(name)
    if check is None:
        raise _fail(f"has an invalid directive: {name}", stack)
    check(obj[name], (*stack, name))


def _directive_or_raw(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _validate_directive(value, stack)
    elif kind not in ("object", "array", "boolean", "string", "number", "null"):
        raise _fail(f"should be a mapping directive or a JSON value but it is {_article(kind)} {kind}", stack)


def _directive_or_string(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _validate_directive(value, stack)
    elif kind != "string":
        raise _fail(f"should be a string or a mapping directive but it is {_article(kind)} {kind}", stack)


def _directive_or_object(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _validate_directive(value, stack)
    elif kind == "object":
        _validate_object(value, stack)
    else:
        raise _fail(f"should be a object or a mapping directive but it is {_article(kind)} {kind}", stack)


def _string(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "string":
        raise _fail(f"should be a string but it is {_article(kind)} {kind}", stack)


def _boolean(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "boolean":
        raise _fail(f"should be a boolean but it is {_article(kind)} {kind}", stack)


def _array(value: Any, stack: Stack) -> None:
    kind = type_name(value)
    if kind != "array":
        raise _fail(f"should be an array but it is {_article(kind)} {kind}", stack)


def _string_of_length(low: int, high: int) -> Validator:
    def check(value: Any, stack: Stack) -> None:
        _string(value, stack)
        length = utf16_length(value)
        if length < low:
            raise _fail(f"should be a string of length {low} or greater", stack)
        if length > high:
            raise _fail(f"should be a string of length {high} or less", stack)

    return check


def _one_of(*allowed: str) -> Validator:
    def check(value: Any, stack: Stack) -> None:
        _string(value, stack)
        if value.lower() not in allowed:
            raise _fail(f"should be one of {', '.join(allowed)} but it is {dumps(value)}", stack)

    return check


def _validate_object(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "object":
        raise _fail(f"should be an object but it is {_article(kind)} {kind}", stack)
    _collect([lambda key=key: _validate(value[key], (*stack, key)) for key in value])


def _object_with_fields(
    value: Any,
    stack: Stack,
    required: dict[str, Validator] | None = None,
    optional: dict[str, Validator] | None = None,
    order: Sequence[str] = (),
) -> None:
    """An object whose named fields are checked, in production's field order."""
    _validate_object(value, stack)
    required = required or {}
    optional = optional or {}

    def field_check(name: str) -> Callable[[], None]:
        def check() -> None:
            if name in required:
                if name not in value:
                    raise _fail(f"should have field {dumps(name)} but it doesn't", stack)
                required[name](value[name], (*stack, name))
            elif name in value:
                optional[name](value[name], (*stack, name))

        return check

    _collect([field_check(name) for name in order])


def _check_if(value: Any, stack: Stack) -> None:
    fields = {"exists": _directive_or_raw, "then": _directive_or_raw, "else": _directive_or_raw}
    _object_with_fields(value, stack, optional=fields, order=("exists", "then", "else"))


def _check_case(value: Any, stack: Stack) -> None:
    fields = {"operator": _string, "value": _directive_or_string}
    _object_with_fields(value, stack, optional=fields, order=("operator", "value"))


def _check_replace(value: Any, stack: Stack) -> None:
    _object_with_fields(
        value,
        stack,
        required={"pattern": _string_of_length(1, MAX_PATTERN_LENGTH), "value": _directive_or_string},
        optional={
            "replacement": _string_of_length(0, MAX_REPLACEMENT_LENGTH),
            "ignorecase": _boolean,
            "global": _boolean,
        },
        order=("pattern", "replacement", "value", "ignorecase", "global"),
    )


def _check_array_path(value: Any, stack: Stack) -> None:
    _array(value, stack)
    _directive_or_string(value[0] if value else UNDEFINED, (*stack, "0"))
    if len(value) > 1:
        _validate(value[1], (*stack, "1"))


def _check_json(value: Any, stack: Stack) -> None:
    _object_with_fields(
        value,
        stack,
        required={"value": _directive_or_raw, "mode": _one_of("encode", "decode")},
        order=("value", "mode"),
    )


def _check_flatten(value: Any, stack: Stack) -> None:
    _object_with_fields(
        value,
        stack,
        required={"value": _directive_or_raw},
        optional={"separator": _string},
        order=("separator", "value"),
    )


def _check_merge(value: Any, stack: Stack) -> None:
    _object_with_fields(
        value,
        stack,
        required={"objects": _array},
        optional={"direction": _one_of("left", "right")},
        order=("direction", "objects"),
    )
    # Production stops at the first bad object here.
    for index, item in enumerate(value["objects"]):
        _directive_or_object(item, (*stack, "objects", str(index)))


def _check_transform(value: Any, stack: Stack) -> None:
    _object_with_fields(
        value,
        stack,
        required={"apply": _directive_or_object, "mapping": _directive_or_object},
        order=("apply", "mapping"),
    )


_DIRECTIVES: dict[str, Validator] = {
    "@if": _check_if,
    "@case": _check_case,
    "@replace": _check_replace,
    "@arrayPath": _check_array_path,
    "@path": _directive_or_string,
    "@json": _check_json,
    "@flatten": _check_flatten,
    "@merge": _check_merge,
    "@template": _directive_or_string,
    "@literal": _directive_or_raw,
    "@transform": _check_transform,
    "@excludeWhenNull": _directive_or_raw,
    "@liquid": _string,
}


def _validate(mapping: Any, stack: Stack) -> None:
    kind = _kind(mapping)
    if kind == "directive":
        _validate_directive(mapping, stack)
    elif kind == "object":
        _validate_object(mapping, stack)


def validate_mapping_tree(mapping: Any, base: Stack = ()) -> None:
    """Raise :class:`InvalidMappingError` listing every problem production reports."""
    try:
        _validate(mapping, base)
    except _Problem as problem:
        messages = [message for _, message in problem.problems]
        raise InvalidMappingError(
            "\n".join(messages),
            problem.problems[0][0],
            errors=[{"field": pointer, "message": message} for pointer, message in problem.problems],
        ) from None
