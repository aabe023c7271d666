"""Turn a mapping into a tree of resolvers once; resolve events many times.

Compilation does what production's ``transform`` does before resolving
(checking the mapping is JSON, unfolding the internal root directive,
validating) and then builds one resolver per mapping node.  Plain objects and
arrays resolve their members; objects holding directive keys resolve the
directive.  Resolution ends with production's ``removeUndefined``: a copy of
the result without ``undefined`` object keys and without ``__proto__`` keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.errors import InvalidMappingError, MappingResolutionError
from reference.js_json import UNDEFINED, js_ordered, type_name
from reference.js_values import truthy, utf16_units

from .directives import DIRECTIVE_COMPILERS, Resolver, Stack, pointer, raiser
from .object_builder import Constant, Dynamic, Entry, StaticPath, build_object_resolver
from .paths import parse_path, path_after_root_marker
from .validate import validate_mapping_tree

__all__ = ["CompiledMapping", "compile_mapping", "validate_mapping", "transform", "ROOT_DIRECTIVE_KEY"]

#: Production's key for a directive that wraps the whole customer mapping.
ROOT_DIRECTIVE_KEY = "__segment_internal_directive"

_PROTO = "__proto__"


def _as_js_json(value: Any, stack: Stack) -> Any:
    """A copy with JavaScript's key order; anything JSON cannot hold is rejected."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                place = pointer(stack)
                raise InvalidMappingError(
                    f"{place} should have string keys but it has the {type(key).__name__} key {key!r}.", place
                )
            out[key] = _as_js_json(item, (*stack, key))
        return js_ordered(out)
    if isinstance(value, list):
        return [_as_js_json(item, (*stack, str(index))) for index, item in enumerate(value)]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    place = pointer(stack)
    raise InvalidMappingError(f"{place} should be a JSON value but it is a {type(value).__name__}.", place)


def _object_keys(value: Any) -> list[str] | None:
    """``Object.keys(value)``, or None where JavaScript throws (null)."""
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return [str(index) for index in range(len(value))]
    if isinstance(value, str):
        return [str(index) for index in range(len(utf16_units(value)))]
    if value is None:
        return None
    return []


def _unfold_root_directive(mapping: dict, stack: Stack) -> tuple[Any, Stack]:
    """Production's root directive: the other keys become its ``mapping`` argument."""
    if ROOT_DIRECTIVE_KEY not in mapping:
        return mapping, stack
    place_stack = (*stack, ROOT_DIRECTIVE_KEY)
    place = pointer(place_stack)
    customer = {key: value for key, value in mapping.items() if key != ROOT_DIRECTIVE_KEY}
    inner = mapping[ROOT_DIRECTIVE_KEY]
    keys = _object_keys(inner)
    if keys is None:
        raise InvalidMappingError("The root directive must be an object", place)
    if len(keys) > 1:
        raise InvalidMappingError("The root mapping must only have a single directive object", place)
    if not keys:
        directive = UNDEFINED
    elif isinstance(inner, dict):
        directive = inner[keys[0]]
    elif isinstance(inner, list):
        directive = inner[0]
    else:
        directive = utf16_units(inner)[0]
    if not truthy(directive) or not isinstance(directive, (dict, list)):
        raise InvalidMappingError("The root directive must be an object", place)
    if isinstance(directive, dict):
        directive = {**directive, "mapping": customer}
        inner = {**inner, keys[0]: directive} if isinstance(inner, dict) else [directive]
    return inner, place_stack


def _prepare(mapping: Any, stack: Stack) -> tuple[Any, Stack]:
    """The mapping production resolves, checked the way production checks it."""
    mapping = _as_js_json(mapping, stack)
    if not isinstance(mapping, dict):
        place = pointer(stack)
        kind = type_name(mapping)
        article = "an" if kind[0] in "aeiou" else "a"
        raise InvalidMappingError(f"{place} should be an object but it is {article} {kind}.", place)
    mapping, stack = _unfold_root_directive(mapping, stack)
    validate_mapping_tree(mapping, stack)
    return mapping, stack


def _object_entry(value: Any, stack: Stack, clean: bool) -> Entry:
    if value is None or isinstance(value, (str, bool, int, float)):
        return Constant(value)
    if (
        isinstance(value, dict)
        and isinstance(value.get("@path"), str)
        and all(key in ("@path", "_metadata") for key in value)
    ):
        return StaticPath(parse_path(path_after_root_marker(value["@path"])))
    return Dynamic(_compile_node(value, stack, clean))


def _compile_object(value: dict, stack: Stack, clean: bool) -> Resolver:
    if _PROTO in value:
        # Assigning "__proto__" sets a prototype: the value is resolved but not kept.
        entries = [(key, _compile_node(item, (*stack, key), clean)) for key, item in value.items()]

        def resolve_object_with_proto(payload: Any) -> Any:
            out = {}
            for key, node in entries:
                resolved = node(payload)
                if key != _PROTO and not (clean and resolved is UNDEFINED):
                    out[key] = resolved
            return out

        return resolve_object_with_proto
    return build_object_resolver(
        [(key, _object_entry(item, (*stack, key), clean)) for key, item in value.items()], clean
    )


def _compile_node(value: Any, stack: Stack, clean: bool) -> Resolver:
    """A resolver for any mapping value, with production's ``resolve`` semantics.

    ``clean`` marks a value that goes straight into the result, so objects
    can drop undefined keys as they are built instead of in a final pass.
    """
    if isinstance(value, dict):
        directive_keys = [key for key in value if key.startswith("@")]
        if directive_keys and all(key.startswith("@") or key == "_metadata" for key in value):
            name = directive_keys[0]
            compiler = DIRECTIVE_COMPILERS.get(name)
            if compiler is None:
                return raiser(f"{name} is not a valid directive, got undefined", stack)
            return compiler(value[name], (*stack, name), clean, _KIT)
        return _compile_object(value, stack, clean)
    if isinstance(value, list):
        nodes = [_compile_node(item, (*stack, str(index)), clean) for index, item in enumerate(value)]
        return lambda payload: [node(payload) for node in nodes]
    return lambda payload: value


def _compile_nested_transform(mapping: Any, stack: Stack) -> Resolver:
    """``transform(apply, payload)`` inside ``@transform``: problems surface when it runs."""
    try:
        prepared, prepared_stack = _prepare(mapping, stack)
    except InvalidMappingError as error:
        return raiser(error.message, stack)
    return _compile_node(prepared, prepared_stack, True)


class _Kit:
    """The compiler as directives see it."""

    node = staticmethod(_compile_node)
    root = staticmethod(_compile_nested_transform)


_KIT = _Kit()


class CompiledMapping:
    """A validated mapping, ready to resolve events (production's ``transform``)."""

    __slots__ = ("source", "_node")

    def __init__(self, source: Any, node: Resolver) -> None:
        self.source = source
        self._node = node

    def resolve(self, event: Mapping[str, Any]) -> Any:
        """The payload production's ``transform(mapping, event)`` returns.

        The result is a fresh copy (it shares no dict or list with the event).
        Object keys that resolved to nothing are absent; an array item that
        resolved to nothing is :data:`UNDEFINED` (JSON writes ``null``); a
        mapping whose root is a directive may itself resolve to ``UNDEFINED``.
        """
        if not isinstance(event, dict):
            raise MappingResolutionError(f"data must be an object, got {type_name(event)}", "/")
        try:
            return self._node(event)
        except RecursionError:
            raise MappingResolutionError("the event is nested too deeply to resolve", "/") from None

    def __repr__(self) -> str:
        return f"CompiledMapping({self.source!r})"


def compile_mapping(mapping: Any) -> CompiledMapping:
    """Validate ``mapping`` as production does, then compile it; raises InvalidMappingError."""
    try:
        prepared, stack = _prepare(mapping, ())
        node = _compile_node(prepared, stack, True)
    except RecursionError:
        raise InvalidMappingError("/ is nested too deeply.", "/") from None
    return CompiledMapping(mapping, node)


def validate_mapping(mapping: Any) -> None:
    """Raise InvalidMappingError when production would reject ``mapping`` before mapping an event."""
    try:
        _prepare(mapping, ())
    except RecursionError:
        raise InvalidMappingError("/ is nested too deeply.", "/") from None


def transform(mapping: Any, event: Mapping[str, Any]) -> Any:
    """Compile ``mapping`` and resolve ``event`` with it (production's ``transform``)."""
    return compile_mapping(mapping).resolve(event)
