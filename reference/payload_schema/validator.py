"""Production's AJV validation, compiled once per schema into Python closures.

The runtime's AJV instance runs with ``coerceTypes: "array"``,
``removeAdditional: true`` and ``allErrors: true``.  For each schema node the
order of work is AJV's: type test and coercion, then ``enum``, then number
bounds, then string length and ``format``, then array items, then object
keywords (``required`` first, undeclared keys removed where
``additionalProperties`` is false, then each declared property in schema
order).  Later keywords see the coerced value, or the unwrapped item when a
one-item array could not be coerced.  Errors collect in that order.

The input is never modified: objects and arrays that change are copied first,
the rest is shared.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from reference.js_values import is_finite_number
from reference.payload_schema import messages
from reference.payload_schema.coercion import JSON_TYPES, NOT_COERCED, coercers_for, type_test
from reference.payload_schema.date_like import is_date_like

__all__ = ["Check", "compile_check"]

#: ``check(value, parent_pointer, own_pointer_suffix, errors) -> value as production passes it on``;
#: the pointer is only joined when an error needs it.
Check = Callable[[Any, str, str, list], Any]

_ANNOTATIONS = frozenset({"title", "description", "default", "$schema"})
_NUMBER_KEYWORDS = ("maximum", "minimum")
_STRING_KEYWORDS = ("maxLength", "minLength", "format")
_OBJECT_KEYWORDS = ("required", "additionalProperties", "properties")
_KNOWN = _ANNOTATIONS | {"type", "enum", "items", *_NUMBER_KEYWORDS, *_STRING_KEYWORDS, *_OBJECT_KEYWORDS}
_ALWAYS_VALID_FORMATS = frozenset({"text", "password", "binary"})


def _json_pointer_escape(key: str) -> str:
    """One JSON Pointer reference token, escaped the way AJV writes ``instancePath``."""
    return key.replace("~", "~0").replace("/", "~1")


def _deep_equal(a: Any, b: Any) -> bool:
    """AJV's ``enum`` comparison: ``===`` for scalars, structural equality for arrays and objects."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_deep_equal(a[k], b[k]) for k in a)
    return False


def _format_test(schema_format: Any) -> Callable[[str], bool] | None:
    if schema_format == "date-like":
        return is_date_like
    if schema_format in _ALWAYS_VALID_FORMATS:
        return None
    raise ValueError(f"unsupported string format {schema_format!r} in the payload schema")


def _types_of(schema: dict) -> list[str]:
    declared = schema.get("type")
    types = [] if declared is None else declared if isinstance(declared, list) else [declared]
    for name in types:
        if name not in JSON_TYPES:
            raise ValueError(f"unsupported JSON type {name!r} in the payload schema")
    return types


def _expected_text(schema: dict) -> str:
    declared = schema.get("type")
    return messages.expected_types(declared) if isinstance(declared, (str, list)) else "a value"


def _has_rules_for(schema: dict, json_type: str) -> bool:
    if json_type == "object":
        return any(keyword in schema for keyword in _OBJECT_KEYWORDS)
    if json_type == "array":
        return "items" in schema
    if json_type == "string":
        return any(keyword in schema for keyword in _STRING_KEYWORDS)
    if json_type in ("number", "integer"):
        return any(keyword in schema for keyword in _NUMBER_KEYWORDS)
    return False


_MISSING: Any = object()


def _compile_object(schema: dict, title: Any) -> Callable[[dict, str, list], dict]:
    properties = schema.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValueError("'properties' of a payload schema must be an object")
    declared = frozenset(properties)
    required = list(schema.get("required") or [])
    required_keys = frozenset(required)
    remove_undeclared = schema.get("additionalProperties") is False
    children = [
        (key, "/" + _json_pointer_escape(key), _trivial_classes(sub, _types_of(sub)), compile_check(sub))
        for key, sub in properties.items()
    ]
    required_info = [
        (key, _json_pointer_escape(key), _expected_text(properties.get(key) or {})) for key in required
    ]

    def check_object(value: dict, path: str, errors: list) -> dict:
        if not required_keys <= value.keys():
            for key, pointer, expected in required_info:
                if key not in value:
                    errors.append(messages.required_error(title, path, key, pointer, expected))
        if remove_undeclared and not value.keys() <= declared:
            out = {key: item for key, item in value.items() if key in declared}
            copied = True
        else:
            out, copied = value, False
        get, missing = out.get, _MISSING
        for key, suffix, trivial, check in children:
            item = get(key, missing)
            if item is missing or item.__class__ in trivial:
                continue
            checked = check(item, path, suffix, errors)
            if checked is not item:
                if not copied:
                    out, copied = dict(out), True
                out[key] = checked
        return out

    return check_object


def _compile_items(schema: dict) -> Callable[[list, str, list], list] | None:
    items = schema.get("items")
    if items is None:
        return None
    if not isinstance(items, dict):
        raise ValueError("'items' of a payload schema must be a single schema")
    check_item = compile_check(items)

    def check_items(value: list, path: str, errors: list) -> list:
        checked = [check_item(item, path, f"/{index}", errors) for index, item in enumerate(value)]
        return value if all(new is old for new, old in zip(checked, value, strict=True)) else checked

    return check_items


def _trivial_classes(schema: dict, types: list[str]) -> frozenset[type]:
    """Python classes whose values this node passes on untouched and error-free.

    Lets object and array checks skip the call for the usual field shapes; any
    other value goes through the full check.
    """
    keywords = set(schema) - _ANNOTATIONS
    schema_format = schema.get("format")
    plain_format = schema_format is None or schema_format in _ALWAYS_VALID_FORMATS
    if types == ["string"] and keywords <= {"type", "format"} and plain_format:
        return frozenset({str})
    if types == ["string", "number"] and keywords <= {"type", "format"}:
        return frozenset({int}) if schema_format == "date-like" else frozenset({int, str})
    if keywords != {"type"} or len(types) != 1:
        return frozenset()
    return {
        "number": frozenset({int}),
        "integer": frozenset({int}),
        "object": frozenset({dict}),
        "boolean": frozenset({bool}),
    }.get(types[0], frozenset())


def _fast_path(schema: dict, types: list[str]) -> Callable[[Any], bool] | None:
    """A cheap test for values that need no work at all, for the usual field shapes."""
    trivial = _trivial_classes(schema, types)
    if types == ["string", "number"] and schema.get("format") == "date-like" and trivial:
        return lambda value: value.__class__ in trivial or (value.__class__ is str and is_date_like(value))
    if types == ["number"] and trivial:
        return lambda value: value.__class__ is int or (value.__class__ is float and math.isfinite(value))
    if types == ["integer"] and trivial:
        return lambda value: value.__class__ is int or (value.__class__ is float and value.is_integer())
    if trivial:
        return lambda value: value.__class__ in trivial
    return None


def compile_check(schema: dict) -> Check:
    """Compile one schema node (a field, an item, the payload) into a checking function."""
    if not isinstance(schema, dict):
        raise ValueError("a payload schema node must be a JSON object")
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"unsupported JSON Schema keyword(s) {sorted(unknown)} in the payload schema")
    types = _types_of(schema)
    schema_type = schema.get("type")
    title = schema.get("title")
    coercers = coercers_for(types)
    # A lone non-coercible type with its own keywords (an object with properties)
    # is type-checked after the other keywords, as AJV does.
    deferred = not coercers and len(types) == 1 and _has_rules_for(schema, types[0])
    check_types = bool(types) and not deferred
    mismatches = type_test(types, matching=False) if types else None
    fits_unwrapped = type_test(types, matching=True) if types else None
    enum = schema.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        raise ValueError("'enum' of a payload schema must be a non-empty array")
    maximum, minimum = schema.get("maximum"), schema.get("minimum")
    max_length, min_length = schema.get("maxLength"), schema.get("minLength")
    format_test = _format_test(schema["format"]) if "format" in schema else None
    has_number_rules = maximum is not None or minimum is not None
    has_string_rules = max_length is not None or min_length is not None or format_test is not None
    check_items = _compile_items(schema)
    check_object = _compile_object(schema, title) if _has_rules_for(schema, "object") else None
    needs_no_work = _fast_path(schema, types)

    def check(value: Any, parent: str, suffix: str, errors: list) -> Any:
        if needs_no_work is not None and needs_no_work(value):
            return value
        path = parent + suffix
        current = out = value
        if check_types and mismatches(value):
            if not coercers:
                errors.append(messages.type_error(title, path, schema_type, value))
            else:
                coerced = NOT_COERCED
                if isinstance(current, list) and len(current) == 1:
                    current = current[0]
                    if fits_unwrapped(current):
                        coerced = current
                if coerced is NOT_COERCED:
                    for coerce in coercers:
                        coerced = coerce(current)
                        if coerced is not NOT_COERCED:
                            break
                if coerced is NOT_COERCED:
                    errors.append(messages.type_error(title, path, schema_type, current))
                else:
                    current = out = coerced
        if enum is not None and not any(_deep_equal(current, choice) for choice in enum):
            errors.append(messages.enum_error(title, path, enum, current))
        if has_number_rules and is_finite_number(current):
            if maximum is not None and current > maximum:
                errors.append(messages.limit_error(title, path, "maximum", maximum, current))
            if minimum is not None and current < minimum:
                errors.append(messages.limit_error(title, path, "minimum", minimum, current))
        if has_string_rules and isinstance(current, str):
            if max_length is not None and len(current) > max_length:
                errors.append(messages.length_error(title, path, "maxLength", max_length, current))
            if min_length is not None and len(current) < min_length:
                errors.append(messages.length_error(title, path, "minLength", min_length, current))
            if format_test is not None and not format_test(current):
                errors.append(messages.format_error(title, path, schema["format"], current))
        if check_items is not None and isinstance(current, list):
            checked = check_items(current, path, errors)
            if current is out:
                out = checked
        if check_object is not None:
            if isinstance(current, dict):
                checked = check_object(current, path, errors)
                if current is out:
                    out = checked
            elif deferred:
                errors.append(messages.type_error(title, path, schema_type, current))
        return out

    return check
