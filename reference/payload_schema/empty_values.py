"""Production's ``removeEmptyValues(payload, schema, true)``, compiled per schema.

Before validation the runtime drops values the schema calls empty: ``null``
where the type does not admit null, ``""`` where it does not admit strings,
and ``""`` anywhere at the root.  Objects are cleaned only where the schema
declares ``properties``; arrays only lose items that would become absent.
Quirk kept on purpose: array items are filtered but not cleaned themselves,
so a ``null`` inside an item object survives (and validation then coerces it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reference.js_json import UNDEFINED

__all__ = ["ABSENT", "Cleaner", "compile_cleaner"]

#: JavaScript's ``undefined``: the mapping kit's marker for array items that
#: resolved to nothing, and what cleaning turns an empty value into.
ABSENT: Any = UNDEFINED

Cleaner = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _js_truthy_schema_value(value: Any) -> bool:
    """JavaScript truthiness of a schema keyword's value (``[]`` and ``{}`` are truthy)."""
    return value is not None and value is not False and value != "" and value != 0


def _type_list(schema: dict) -> list:
    declared = schema.get("type")
    if declared is None:
        return []
    return declared if isinstance(declared, list) else [declared]


def _drop_rules(schema: Any) -> tuple[bool, bool] | None:
    """(drops null, drops "") for a schema; None when its cleaning keeps every value."""
    if not isinstance(schema, dict):
        return None
    if not _js_truthy_schema_value(schema.get("type")) and not _js_truthy_schema_value(schema.get("enum")):
        return None
    types = _type_list(schema)
    return "null" not in types, "string" not in types


def _compile_items_filter(schema: dict) -> Cleaner | None:
    """Array cleaning: drop the items that would become undefined, keep the others as they are."""
    if not _js_truthy_schema_value(schema.get("items")):
        return None
    rules = _drop_rules(schema.get("items"))
    if rules is None:
        return None
    drop_null, drop_empty = rules

    def keep(item: Any) -> bool:
        if item is None:
            return not drop_null
        if item == "":
            return not drop_empty
        return item is not ABSENT

    return lambda value: [item for item in value if keep(item)]


def _compile_object_cleaner(properties: dict, at_root: bool) -> Cleaner:
    null_dropped, empty_dropped = set(), set()
    object_cleaners: dict[str, Cleaner] = {}
    array_cleaners: dict[str, Cleaner] = {}
    for key, sub in properties.items():
        rules = _drop_rules(sub)
        if rules is None:
            continue
        if rules[0]:
            null_dropped.add(key)
        if rules[1]:
            empty_dropped.add(key)
        if isinstance(sub.get("properties"), dict):
            object_cleaners[key] = _compile_object_cleaner(sub["properties"], False)
        items_filter = _compile_items_filter(sub)
        if items_filter is not None:
            array_cleaners[key] = items_filter

    def clean_object(value: dict) -> dict:
        out = {}
        for key, item in value.items():
            if item is None:
                if key in null_dropped:
                    continue
            elif item.__class__ is str:
                if item == "" and (at_root or key in empty_dropped):
                    continue
            elif isinstance(item, dict):
                cleaner = object_cleaners.get(key)
                if cleaner is not None:
                    item = cleaner(item)
            elif isinstance(item, list):
                cleaner = array_cleaners.get(key)
                if cleaner is not None:
                    item = cleaner(item)
            elif item is ABSENT:
                continue
            out[key] = item
        return out

    return clean_object


def compile_cleaner(schema: dict, at_root: bool = False) -> Cleaner:
    """A function doing ``removeEmptyValues(value, schema, at_root)``; ABSENT means undefined."""
    rules = _drop_rules(schema)
    if rules is None:
        return _identity
    drop_null, drop_empty = rules
    properties = schema.get("properties")
    clean_object = _compile_object_cleaner(properties, at_root) if isinstance(properties, dict) else None
    items_filter = _compile_items_filter(schema)

    def clean(value: Any) -> Any:
        if isinstance(value, list):
            return value if items_filter is None else items_filter(value)
        if isinstance(value, dict):
            return value if clean_object is None else clean_object(value)
        if value is ABSENT or (value is None and drop_null) or (value == "" and drop_empty):
            return ABSENT
        return value

    return clean
