"""An action's payload schema, compiled once and applied to every event.

Steps 3 and 4 of production's pipeline: ``removeEmptyValues(payload, schema,
true)``, then ``validateSchema(payload, schema)``, which wraps top-level
``multiple`` values that are not arrays in an array ("arrify"), runs AJV, and
puts back a ``dynamicAuthSettings`` key that AJV removed (production exempts
it).  A failure raises :class:`PayloadValidationError` carrying production's
exact message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.errors import PayloadValidationError
from reference.fields import Field
from reference.payload_schema.empty_values import ABSENT, compile_cleaner
from reference.payload_schema.json_schema import fields_to_json_schema
from reference.payload_schema.messages import join_messages
from reference.payload_schema.validator import compile_check

__all__ = ["PayloadSchema", "compile_payload_schema"]

_EXEMPT = "dynamicAuthSettings"


class PayloadSchema:
    """Cleans and validates payloads the way production does for one action."""

    __slots__ = ("json_schema", "_clean", "_check", "_array_fields")

    def __init__(self, json_schema: dict) -> None:
        self.json_schema = json_schema
        self._clean = compile_cleaner(json_schema, at_root=True)
        self._check = compile_check(json_schema)
        properties = json_schema.get("properties") or {}
        self._array_fields = tuple(key for key, sub in properties.items() if sub.get("type") == "array")

    def remove_empty_values(self, payload: dict) -> dict:
        """The payload without the values production treats as empty (a new dict)."""
        return self._clean(payload)

    def validate(self, payload: dict) -> dict:
        """Coerce, drop undeclared keys and check; return what production passes to the action.

        Raises PayloadValidationError with production's message when the payload is rejected.
        """
        data = self._arrify(payload)
        errors: list[dict[str, str]] = []
        out = self._check(data, "", "", errors)
        if errors:
            raise PayloadValidationError(join_messages(errors), errors)
        if isinstance(payload, dict) and _EXEMPT in payload and isinstance(out, dict):
            out[_EXEMPT] = payload[_EXEMPT]
        return out

    def process(self, payload: dict) -> dict:
        """remove_empty_values then validate: what the pipeline runs on a resolved mapping."""
        return self.validate(self._clean(payload))

    def _arrify(self, payload: Any) -> Any:
        if not isinstance(payload, dict) or not self._array_fields:
            return payload
        wrapped = None
        for key in self._array_fields:
            value = payload.get(key, ABSENT)
            if value is not ABSENT and value is not None and not isinstance(value, list):
                if wrapped is None:
                    wrapped = dict(payload)
                wrapped[key] = [value]
        return payload if wrapped is None else wrapped


def compile_payload_schema(fields: Mapping[str, Field]) -> PayloadSchema:
    """Build production's schema for these fields and compile it for repeated use."""
    return PayloadSchema(fields_to_json_schema(fields))
