"""One compiled JSON Schema check, fast when the value is valid.

A value is first checked with ``jsonschema_rs`` (compiled Rust, about a
microsecond for an ingest body); only a value it rejects is validated again
with ``jsonschema``'s Draft 2020-12 validator, whose errors explain each
failure.  Both resolve ``$ref``s through a registry holding the whole
OpenAPI document, so a schema is addressed by its JSON pointer in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from contracts.violations import Violation, json_pointer, violations_from_errors

__all__ = ["DocumentSchemas", "SchemaCheck"]

# Characters a URI fragment may hold as they are; others (``{}`` of path templates) are %-escaped.
_POINTER_SAFE = "/~!$&'()*+,;=:@-._"


class DocumentSchemas:
    """The registries of one OpenAPI document, shared by all its checks."""

    def __init__(self, uri: str, document: dict) -> None:
        self.uri = uri
        self.registry: Registry = Registry().with_resource(uri, DRAFT202012.create_resource(document))
        self.fast_registry = jsonschema_rs.Registry([(uri, document)])

    def check(self, pointer: str) -> SchemaCheck:
        """A check of the schema at ``pointer`` (``/components/schemas/X``) in the document."""
        return SchemaCheck({"$ref": f"{self.uri}#{quote(pointer, safe=_POINTER_SAFE)}"}, self)


class SchemaCheck:
    """Validates values against one schema; compiled once, used many times."""

    def __init__(self, schema: dict, schemas: DocumentSchemas) -> None:
        self._fast = jsonschema_rs.Draft202012Validator(
            schema, registry=schemas.fast_registry, validate_formats=False
        )
        self._explain = Draft202012Validator(schema, registry=schemas.registry)

    def is_valid(self, value: Any) -> bool:
        """True when the value satisfies the schema; never raises."""
        try:
            return bool(self._fast.is_valid(value))
        except Exception:  # a value Rust cannot take (non-string keys, huge ints...): ask jsonschema
            return not self.violations(value, "body")

    def violations(self, value: Any, location: str, prefix: Sequence[Any] = ()) -> list[Violation]:
        """Every rule the value breaks (empty when valid); never raises."""
        try:
            if self._fast.is_valid(value):
                return []
            fast_refused = True
        except Exception:  # fall through to the explaining validator, which accepts any Python value
            fast_refused = False
        pointer = json_pointer(prefix)
        try:
            found = violations_from_errors(self._explain.iter_errors(value), location, prefix)
        except RecursionError:
            return [Violation(location, pointer, "maxDepth", "the value nests too deeply to validate")]
        except Exception as exc:  # values JSON cannot hold (e.g. unorderable keys) end up here
            return [Violation(location, pointer, "type", f"the value cannot be validated as JSON: {exc}")]
        if not found and fast_refused:
            # The two disagree only where Python's regular expressions differ from ECMA 262, which
            # JSON Schema follows: ``$`` also matches before a final newline in Python, not in ECMA.
            return self._fast_violations(value, location, prefix)
        return found

    def _fast_violations(self, value: Any, location: str, prefix: Sequence[Any]) -> list[Violation]:
        found: dict[tuple[str, str], Violation] = {}
        for error in self._fast.iter_errors(value):
            keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
            pointer = json_pointer([*prefix, *error.instance_path])
            message = error.message if len(error.message) <= 300 else error.message[:299] + "…"
            found.setdefault((pointer, keyword), Violation(location, pointer, keyword, message))
        return sorted(found.values(), key=lambda v: (v.pointer, v.rule))
