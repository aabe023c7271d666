"""Rules on one subscription's mapping, decided from the mapping and the action's schema alone.

The payload schema production builds from the action's fields is the
authority: where it closes an object (``additionalProperties: false``)
validation drops undeclared keys, and its ``required`` lists say what must be
there.  The mapping is walked alongside the schema, following the directives
whose result shape is known from the mapping itself (``@literal``, ``@if``,
``@merge``, ``@excludeWhenNull`` and the item shape of ``@arrayPath``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cordial_harness.lint.findings import Finding, finding, json_pointer
from cordial_harness.lint.structure import SubscriptionEntry
from reference import js_json
from reference.errors import CordialHarnessError, InvalidMappingError, PayloadValidationError
from reference.mapping_kit import ROOT_DIRECTIVE_KEY, compile_mapping, validate_mapping
from reference.pipeline import effective_mapping, payload_schema

Segments = tuple[str, ...]


@dataclass(frozen=True)
class MappingReport:
    """The mapping's findings; ``valid`` is False when production rejects the mapping.

    ``unfillable`` holds the payload paths (``/sku``, ``/items/*/sku``) of the
    required fields already reported as never filled.
    """

    findings: list[Finding]
    valid: bool = True
    unfillable: frozenset[str] = field(default_factory=frozenset)


class _Issue(NamedTuple):
    kind: str  # "dropped" or "missing"
    segments: Segments  # place in the mapping
    key: str
    schema: dict[str, Any]  # the object schema the key belongs to
    payload_path: Segments  # place in the payload, array items as "*"
    owner: str  # what the object is, for messages


def check_mapping(entry: SubscriptionEntry) -> MappingReport:
    """Every mapping rule for one subscription whose action is known."""
    definition = entry.definition
    if definition is None:
        return MappingReport([])
    schema = payload_schema(definition.name).json_schema
    found = _invalid_mapping(entry)
    effective = effective_mapping(definition, entry.mapping, entry.use_default_mappings)
    properties = schema.get("properties", {})
    found.extend(_unknown_fields(entry, properties))
    unfillable: set[str] = set()
    for key, value in effective.items():
        if key not in properties:
            continue
        owner = properties[key].get("title") or key
        for issue in _walk(value, properties[key], (key,), (key,), owner, literal=False, check_required=True):
            found.append(_issue_finding(entry, issue))
            if issue.kind == "missing":
                unfillable.add("/" + "/".join((*issue.payload_path, issue.key)))
    for key in schema.get("required", []):
        problem = _required_problem(entry, definition.name, effective, key, properties[key])
        if problem is not None:
            found.append(problem)
            unfillable.add(f"/{key}")
    found.extend(_invalid_literals(entry, definition.name, properties))
    valid = not any(item.rule == "invalid-mapping" for item in found)
    return MappingReport(found, valid, frozenset(unfillable))


# -- invalid-mapping -------------------------------------------------------------------------------


def _invalid_mapping(entry: SubscriptionEntry) -> list[Finding]:
    try:
        validate_mapping(entry.mapping)
    except InvalidMappingError as exc:
        return [
            finding(
                "invalid-mapping",
                error["message"],
                entry.mapping_pointer + json_pointer(*_segments_of(entry.mapping, error["field"])),
                **entry.where(),
            )
            for error in exc.errors
        ]
    return []


def _segments_of(document: Any, place: str) -> Segments:
    """Split the mapping kit's unescaped place (``/a/b``) into keys that exist in ``document``.

    Keys may themselves hold ``/``; the split that follows real keys is used,
    and a plain split where none does.
    """
    if place in ("", "/"):
        return ()

    def search(node: Any, rest: str) -> Segments | None:
        if not rest:
            return ()
        if isinstance(node, dict):
            keys = [key for key in node if rest[1:] == key or rest[1:].startswith(key + "/")]
        elif isinstance(node, list):
            keys = [str(i) for i in range(len(node)) if rest[1:] == str(i) or rest[1:].startswith(f"{i}/")]
        else:
            return None
        for key in sorted(keys, key=len, reverse=True):
            child = node[key] if isinstance(node, dict) else node[int(key)]
            tail = search(child, rest[1 + len(key) :])
            if tail is not None:
                return (key, *tail)
        return None

    return search(document, place) or tuple(place.split("/")[1:])


# -- unknown-field and dropped-key ----------------------------------------------------------------


def _unknown_fields(entry: SubscriptionEntry, properties: dict[str, Any]) -> list[Finding]:
    found = []
    for key in entry.mapping:
        if key in properties or key == ROOT_DIRECTIVE_KEY:
            continue
        found.append(
            finding(
                "unknown-field",
                f"{key!r} is not a field of {entry.action}: validation drops it and it is never sent."
                + (_suggestion(key, properties) or f" Fields: {', '.join(properties)}."),
                entry.mapping_pointer + json_pointer(key),
                **entry.where(),
            )
        )
    return found


def _suggestion(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return f" Did you mean {close[0]!r}?" if close else ""


def _is_directive(value: Any) -> bool:
    """The mapping kit's test: an object whose keys are all ``@``-keys (``_metadata`` aside)."""
    if not isinstance(value, dict):
        return False
    keys = [key for key in value if key.startswith("@")]
    return bool(keys) and all(key.startswith("@") or key == "_metadata" for key in value)


def _array_items(schema: dict[str, Any]) -> dict[str, Any] | None:
    items = schema.get("items")
    return items if schema.get("type") == "array" and isinstance(items, dict) else None


def _closed_properties(schema: dict[str, Any]) -> dict[str, Any] | None:
    properties = schema.get("properties")
    if schema.get("additionalProperties") is False and isinstance(properties, dict):
        return properties
    return None


def _walk(
    value: Any,
    schema: dict[str, Any],
    segments: Segments,
    path: Segments,
    owner: str,
    *,
    literal: bool,
    check_required: bool,
) -> Iterator[_Issue]:
    """Keys validation drops, and required keys an object shape lacks, below ``value``."""
    if not literal and _is_directive(value):
        yield from _walk_directive(value, schema, segments, path, owner, check_required)
        return
    items = _array_items(schema)
    if isinstance(value, list) and items is not None:
        for index, item in enumerate(value):
            yield from _walk(
                item,
                items,
                (*segments, str(index)),
                (*path, "*"),
                f"each item of {owner}",
                literal=literal,
                check_required=check_required,
            )
        return
    if not isinstance(value, dict):
        return
    if items is not None:  # a lone object where an array is expected is wrapped into one
        yield from _walk(
            value,
            items,
            segments,
            (*path, "*"),
            f"each item of {owner}",
            literal=literal,
            check_required=check_required,
        )
        return
    properties = _closed_properties(schema)
    if properties is None:
        return
    for key, item in value.items():
        if key in properties:
            yield from _walk(
                item,
                properties[key],
                (*segments, key),
                (*path, key),
                properties[key].get("title") or key,
                literal=literal,
                check_required=check_required,
            )
        elif literal or key != "__proto__":
            yield _Issue("dropped", (*segments, key), key, schema, path, owner)
    if check_required:
        for key in schema.get("required", []):
            if key not in value:
                yield _Issue("missing", segments, key, schema, path, owner)


def _walk_directive(
    value: dict,
    schema: dict[str, Any],
    segments: Segments,
    path: Segments,
    owner: str,
    check_required: bool,
) -> Iterator[_Issue]:
    name = next(key for key in value if key.startswith("@"))
    argument = value[name]
    here = (*segments, name)
    if name == "@literal":
        yield from _walk(argument, schema, here, path, owner, literal=True, check_required=check_required)
    elif name == "@excludeWhenNull":
        yield from _walk(argument, schema, here, path, owner, literal=False, check_required=check_required)
    elif name == "@if" and isinstance(argument, dict):
        # A branch is taken only for some events: its missing keys are not "never filled".
        for branch in ("then", "else"):
            if branch in argument:
                yield from _walk(
                    argument[branch],
                    schema,
                    (*here, branch),
                    path,
                    owner,
                    literal=False,
                    check_required=False,
                )
    elif name == "@merge" and isinstance(argument, dict) and isinstance(argument.get("objects"), list):
        # Each merged object brings only some of the keys: only dropped keys are certain.
        for index, item in enumerate(argument["objects"]):
            yield from _walk(
                item, schema, (*here, "objects", str(index)), path, owner, literal=False, check_required=False
            )
    elif name == "@arrayPath" and isinstance(argument, list) and len(argument) > 1:
        items = _array_items(schema)
        if items is not None:
            yield from _walk(
                argument[1],
                items,
                (*here, "1"),
                (*path, "*"),
                f"each item of {owner}",
                literal=False,
                check_required=check_required,
            )


def _issue_finding(entry: SubscriptionEntry, issue: _Issue) -> Finding:
    top = issue.segments[0]
    from_default = top not in entry.mapping
    place = "/" + "/".join(issue.segments)
    owner = issue.owner
    declared = list(issue.schema.get("properties", {}))
    if issue.kind == "dropped":
        text = (
            f"{issue.key!r} is not a declared property of {owner}: validation drops it and it is never sent."
            + (_suggestion(issue.key, declared) or f" Declared: {', '.join(declared)}.")
        )
        rule = "dropped-key"
    else:
        at = "/" + "/".join(issue.payload_path)
        text = (
            f"{owner} requires {issue.key!r} but the mapping at {place} does not map it: "
            f"every event that gives {at} a value is rejected."
        )
        rule = "required-unfillable"
    if from_default:
        text = f"In the default mapping of {top!r}, at {place}: {text} Map {top!r} yourself to replace it."
        pointer = entry.pointer
    else:
        pointer = entry.mapping_pointer + json_pointer(*issue.segments)
    return finding(rule, text, pointer, **entry.where())


# -- required-unfillable and invalid literals -----------------------------------------------------


def _is_constant(value: Any) -> bool:
    """Whether the mapping value reads nothing from the event (no directive but ``@literal``)."""
    if _is_directive(value):
        return "@literal" in value
    if isinstance(value, dict):
        return all(_is_constant(item) for item in value.values())
    if isinstance(value, list):
        return all(_is_constant(item) for item in value)
    return True


def _constant_payload(action: str, key: str, value: Any) -> dict[str, Any] | None:
    """What ``{key: value}`` becomes after mapping and empty-value removal, or None if unknown."""
    try:
        resolved = compile_mapping({key: value}).resolve({})
        return payload_schema(action).remove_empty_values(resolved if isinstance(resolved, dict) else {})
    except CordialHarnessError:
        return None


def _required_problem(
    entry: SubscriptionEntry, action: str, effective: dict[str, Any], key: str, schema: dict[str, Any]
) -> Finding | None:
    title = schema.get("title", key)
    rejection = (
        f"production rejects every event with \"The root value is missing the required field '{key}'.\""
    )
    if key not in effective:
        reason = (
            "useDefaultMappings is false and the mapping" if not entry.use_default_mappings else "the mapping"
        )
        return finding(
            "required-unfillable",
            f"required field {key!r} ({title}) is not mapped: {reason} does not mention it, so {rejection}",
            entry.mapping_pointer,
            **entry.where(),
        )
    value = effective[key]
    if key not in entry.mapping or not _is_constant(value):
        return None
    cleaned = _constant_payload(action, key, value)
    if cleaned is None or key in cleaned:
        return None
    return finding(
        "required-unfillable",
        f"required field {key!r} ({title}) is mapped to the literal {js_json.dumps(value)}, "
        f"an empty value that is removed before validation, so {rejection}",
        entry.mapping_pointer + json_pointer(key),
        **entry.where(),
    )


def _invalid_literals(entry: SubscriptionEntry, action: str, properties: dict[str, Any]) -> list[Finding]:
    """Literal values that validation rejects whatever the event (e.g. ``qty: "two"``)."""
    found = []
    schema = payload_schema(action)
    for key, value in entry.mapping.items():
        if key not in properties or not _is_constant(value):
            continue
        cleaned = _constant_payload(action, key, value)
        if not cleaned or key not in cleaned:
            continue
        try:
            schema.validate(cleaned)
        except PayloadValidationError as exc:
            own = [error["message"] for error in exc.errors if error.get("keyword") != "required"]
            if own:
                found.append(
                    finding(
                        "invalid-literal",
                        f"the literal {js_json.dumps(value)} is rejected by validation on every event: "
                        + " ".join(own),
                        entry.mapping_pointer + json_pointer(key),
                        **entry.where(),
                    )
                )
    return found
