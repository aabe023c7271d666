"""Each directive turned into a resolver once, at compile time.

A directive compiler receives the directive's raw argument, its place in the
mapping, whether its result is final, and the :class:`Kit` that compiles
nested mapping values.  It returns a
resolver: a function from the payload to the resolved value.  Everything
production decides from the mapping alone (argument checks, defaults, parsed
paths and templates) is decided here; the resolver only does per-event work.

Production checks some arguments while resolving, not while validating, and
only when the directive is reached.  Those checks become resolvers that raise
:class:`MappingResolutionError` with production's message, so a mapping behaves
exactly as in production: an ``@if`` branch that is never taken never fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from reference.errors import MappingResolutionError
from reference.js_json import UNDEFINED, type_name
from reference.js_values import loosely_equals_empty_string, number_text, truthy, typeof, utf16_length

from .liquid_engine import compile_liquid
from .objects import assign, clean_nulls, flatten, json_parse, json_stringify, remove_undefined
from .paths import compile_getter, get_path, parse_path, path_after_root_marker
from .placeholders import compile_template
from .replace import compile_replacer
from .validate import MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH

__all__ = ["DIRECTIVE_COMPILERS", "Resolver", "Kit", "Stack", "raiser", "pointer"]

Resolver = Callable[[Any], Any]
Stack = tuple[str, ...]


class Kit(Protocol):
    """What a directive compiler needs from the mapping compiler."""

    def node(self, value: Any, stack: Stack, clean: bool) -> Resolver:
        """Compile a nested mapping value; ``clean`` means its result is final (no undefined keys)."""

    def root(self, mapping: Any, stack: Stack) -> Resolver:
        """Compile a nested ``transform`` call (``@transform``'s ``apply``)."""


def pointer(stack: Stack) -> str:
    return "/" + "/".join(stack)


def raiser(message: str, stack: Stack) -> Resolver:
    """A resolver that fails the way production does when it reaches this place."""
    place = pointer(stack)

    def fail(payload: Any) -> Any:
        raise MappingResolutionError(message, place)

    return fail


def _constant(value: Any) -> Resolver:
    return lambda payload: value


def _arg(opts: dict, name: str) -> Any:
    return opts.get(name, UNDEFINED)


def _finalizer(node: Resolver, clean: bool) -> Resolver:
    """In a final position, a fresh copy without undefined keys (production's removeUndefined)."""
    if not clean:
        return node

    def finalize(payload: Any) -> Any:
        value = node(payload)
        if type(value) is dict or type(value) is list:
            return remove_undefined(value)
        return value

    return finalize


def _compile_if(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@if requires an object with an "exists" key', stack)
    exists, blank = _arg(opts, "exists"), _arg(opts, "blank")
    if not truthy(exists) and not truthy(blank):
        return raiser('@if requires an "exists" key or a "blank" key', stack)
    then, otherwise = _arg(opts, "then"), _arg(opts, "else")
    then_node = kit.node(then, (*stack, "then"), clean) if then is not UNDEFINED else None
    else_node = kit.node(otherwise, (*stack, "else"), clean) if truthy(otherwise) else None
    by_existence = exists is not UNDEFINED
    if by_existence:
        condition_node = kit.node(exists, (*stack, "exists"), False)
    else:
        condition_node = kit.node(blank, (*stack, "blank"), False)

    def resolve_if(payload: Any) -> Any:
        value = condition_node(payload)
        if by_existence:
            condition = value is not UNDEFINED and value is not None
        else:
            condition = (
                value is not UNDEFINED and value is not None and not loosely_equals_empty_string(value)
            )
        if condition:
            return then_node(payload) if then_node is not None else UNDEFINED
        return else_node(payload) if else_node is not None else UNDEFINED

    return resolve_if


def _compile_case(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@case requires an object with a "operator" key', stack)
    operator = _arg(opts, "operator")
    if not truthy(operator):
        return raiser('@case requires a "operator" key', stack)
    value = _arg(opts, "value")
    if not truthy(value):
        return _constant(UNDEFINED)
    value_node = kit.node(value, (*stack, "value"), clean)
    place = pointer(stack)

    def resolve_case(payload: Any) -> Any:
        text = value_node(payload)
        if not isinstance(text, str):
            return text
        if operator == "lower":
            return text.lower()
        if operator == "upper":
            return text.upper()
        raise MappingResolutionError('operator key should have a value of "lower" or "upper"', place)

    return resolve_case


def _replacement_step(pattern: Any, replacement: Any, replace_all: bool, ignore_case: bool) -> Any:
    """A compiled replacement, or the message production throws when it runs it."""
    if utf16_length(pattern) > MAX_PATTERN_LENGTH:
        return f'@replace requires a "pattern" less than {MAX_PATTERN_LENGTH} characters'
    if utf16_length(replacement) > MAX_REPLACEMENT_LENGTH:
        return f'@replace requires a "replacement" less than {MAX_REPLACEMENT_LENGTH} characters'
    return compile_replacer(pattern, replacement, replace_all, ignore_case)


def _compile_replace(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@replace requires an object with a "pattern" key', stack)
    pattern = _arg(opts, "pattern")
    if not truthy(pattern):
        return raiser('@replace requires a "pattern" key', stack)
    replacement = _arg(opts, "replacement")
    if replacement is None or replacement is UNDEFINED:
        replacement = ""
    pattern2, replacement2 = _arg(opts, "pattern2"), _arg(opts, "replacement2")
    if truthy(pattern2) and (replacement2 is None or replacement2 is UNDEFINED):
        replacement2 = ""
    ignore_case = _arg(opts, "ignorecase")
    ignore_case = False if ignore_case is None or ignore_case is UNDEFINED else ignore_case
    replace_all = _arg(opts, "global")
    replace_all = True if replace_all is None or replace_all is UNDEFINED else replace_all
    value = _arg(opts, "value")
    if not truthy(value):
        return _constant(UNDEFINED)
    value_node = kit.node(value, (*stack, "value"), False)
    arguments_usable = (
        isinstance(pattern, str)
        and isinstance(replacement, str)
        and isinstance(ignore_case, bool)
        and isinstance(replace_all, bool)
    )
    if not arguments_usable:

        def resolve_unusable(payload: Any) -> Any:
            value_node(payload)
            return ""

        return resolve_unusable
    steps = [_replacement_step(pattern, replacement, replace_all, ignore_case)]
    if truthy(pattern2) and isinstance(pattern2, str) and isinstance(replacement2, str):
        steps.append(_replacement_step(pattern2, replacement2, replace_all, ignore_case))
    place = pointer(stack)

    def resolve_replace(payload: Any) -> Any:
        text = value_node(payload)
        if isinstance(text, bool):
            text = "true" if text else "false"
        elif isinstance(text, (int, float)):
            text = number_text(text)
        elif not isinstance(text, str):
            return ""
        for step in steps:
            if isinstance(step, str):
                raise MappingResolutionError(step, place)
            text = step(text)
        return text

    return resolve_replace


def _compile_array_path(data: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if not isinstance(data, list):
        return raiser(f"@arrayPath expected array, got {type_name(data)}", stack)
    path = data[0] if data else UNDEFINED
    shape = data[1] if len(data) > 1 else UNDEFINED
    if isinstance(path, str):
        root_node = compile_getter(path_after_root_marker(path))
    else:
        root_node = kit.node(path, (*stack, "0"), False)
    if type_name(shape) != "object" or not shape:
        return _finalizer(root_node, clean)
    item_node = kit.node(shape, (*stack, "1"), clean)

    def resolve_array_path(payload: Any) -> Any:
        root = root_node(payload)
        if type(root) is list:
            return [item_node(item) for item in root]
        if type(root) is dict:
            return [item_node(root)]
        return root

    return resolve_array_path


def _string_argument(name: str, value: Any, stack: Stack, kit: Kit) -> Resolver:
    """The argument of ``@path``/``@template``: resolved, then required to be a string."""
    value_node = kit.node(value, stack, False)
    place = pointer(stack)

    def resolve_string(payload: Any) -> str:
        text = value_node(payload)
        if not isinstance(text, str):
            raise MappingResolutionError(f"{name}: expected string, got {type_name(text)}", place)
        return text

    return resolve_string


def _compile_path(value: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if isinstance(value, str):
        return compile_getter(path_after_root_marker(value), copy=clean)
    path_node = _string_argument("@path", value, stack, kit)
    dynamic = lambda payload: get_path(payload, parse_path(path_after_root_marker(path_node(payload))))  # noqa: E731
    return _finalizer(dynamic, clean)


def _compile_template(value: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if isinstance(value, str):
        return compile_template(value)
    template_node = _string_argument("@template", value, stack, kit)
    return lambda payload: compile_template(template_node(payload))(payload)


def _compile_literal(value: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    return kit.node(value, stack, clean)


def _compile_flatten(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@flatten requires an object with a "separator" key', stack)
    separator = _arg(opts, "separator")
    if not truthy(separator):
        return raiser('@flatten requires a "separator" key', stack)
    separator_node = kit.node(separator, (*stack, "separator"), False)
    value_node = kit.node(_arg(opts, "value"), (*stack, "value"), False)
    omit_arrays = truthy(_arg(opts, "omitArrays"))
    place = pointer(stack)

    def resolve_flatten(payload: Any) -> Any:
        resolved_separator = separator_node(payload)
        if not isinstance(resolved_separator, str):
            raise MappingResolutionError("@flatten requires a string separator", place)
        return flatten(value_node(payload), resolved_separator, omit_arrays)

    return _finalizer(resolve_flatten, clean)


def _compile_json(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@json requires an object with a "value" key', stack)
    mode = _arg(opts, "mode")
    if not truthy(mode):
        return raiser('@json requires a "mode" key', stack)
    value = _arg(opts, "value")
    if not truthy(value):
        return raiser('@json requires a "value" key', stack)
    value_node = kit.node(value, (*stack, "value"), False)
    if mode == "encode":
        return lambda payload: json_stringify(value_node(payload))
    if mode == "decode":

        def resolve_decode(payload: Any) -> Any:
            text = value_node(payload)
            if not isinstance(text, str):
                return text
            try:
                return json_parse(text)
            except ValueError:
                return text

        return _finalizer(resolve_decode, clean)

    def resolve_unknown_mode(payload: Any) -> Any:
        value_node(payload)
        return UNDEFINED

    return resolve_unknown_mode


def _compile_merge(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@merge requires an object with an "objects" key and a "direction" key', stack)
    direction = _arg(opts, "direction")
    if not truthy(direction):
        return raiser('@merge requires a "direction" key', stack)
    direction_node = kit.node(direction, (*stack, "direction"), False)
    objects = _arg(opts, "objects")
    problem = None
    if not truthy(objects):
        problem = '@merge requires a "objects" key'
    elif not isinstance(objects, list):
        problem = f"@merge: expected opts.array, got {typeof(objects)}"
    if problem is not None:
        place = pointer(stack)

        def resolve_bad_objects(payload: Any) -> Any:
            direction_node(payload)
            raise MappingResolutionError(problem, place)

        return resolve_bad_objects
    object_nodes = [
        kit.node(item, (*stack, "objects", str(index)), False) for index, item in enumerate(objects)
    ]

    def resolve_merge(payload: Any) -> Any:
        resolved_direction = direction_node(payload)
        sources = [node(payload) for node in object_nodes]
        if resolved_direction == "left":
            sources.reverse()
        return assign(sources)

    return _finalizer(resolve_merge, clean)


def _compile_transform(opts: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    if type_name(opts) != "object":
        return raiser('@transform requires an object with an "apply" key and a "mapping" key', stack)
    mapping = _arg(opts, "mapping")
    if not truthy(mapping):
        return raiser('@transform requires a "mapping" key', stack)
    apply = _arg(opts, "apply")
    if not truthy(apply):
        return raiser('@transform requires a "apply" key', stack)
    if type_name(apply) != "object":
        return raiser('@transform "apply" key should be an object', stack)
    apply_node = kit.root(apply, (*stack, "apply"))
    mapping_node = kit.node(mapping, (*stack, "mapping"), clean)
    place = pointer(stack)

    def resolve_transform(payload: Any) -> Any:
        if payload is UNDEFINED:
            payload = {}
        if not isinstance(payload, dict):
            raise MappingResolutionError(f"data must be an object, got {type_name(payload)}", place)
        return mapping_node(apply_node(payload))

    return resolve_transform


def _compile_exclude_when_null(value: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    value_node = kit.node(value, stack, False)

    def resolve_exclude_when_null(payload: Any) -> Any:
        resolved = value_node(payload)
        return UNDEFINED if resolved is None else clean_nulls(resolved)

    return _finalizer(resolve_exclude_when_null, clean)


def _compile_liquid(value: Any, stack: Stack, clean: bool, kit: Kit) -> Resolver:
    return compile_liquid(value, pointer(stack))


DIRECTIVE_COMPILERS: dict[str, Callable[[Any, Stack, bool, Kit], Resolver]] = {
    "@if": _compile_if,
    "@case": _compile_case,
    "@replace": _compile_replace,
    "@arrayPath": _compile_array_path,
    "@path": _compile_path,
    "@template": _compile_template,
    "@literal": _compile_literal,
    "@flatten": _compile_flatten,
    "@json": _compile_json,
    "@merge": _compile_merge,
    "@transform": _compile_transform,
    "@excludeWhenNull": _compile_exclude_when_null,
    "@liquid": _compile_liquid,
}
