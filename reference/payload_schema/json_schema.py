"""The JSON Schema production derives from an action's fields.

Production validates payloads against ``fieldsToJsonSchema(fields)``; its
shape decides coercion (``datetime`` is ``["string", "number"]`` with the
``date-like`` format), what is dropped (objects with declared ``properties``
get ``additionalProperties: false``), and which labels appear in messages
(each property's ``title``).  Keys are written in production's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.fields import Field

__all__ = ["SCHEMA_DIALECT", "fields_to_json_schema"]

SCHEMA_DIALECT = "http://json-schema.org/schema#"

_FORMAT_OF_TYPE = {"datetime": "date-like", "password": "password", "text": "text"}


def _json_type(field_type: str) -> str | list[str]:
    if field_type in ("string", "text", "password"):
        return "string"
    if field_type == "datetime":
        return ["string", "number"]
    return field_type


def _choice_value(choice: Any) -> Any:
    return choice["value"] if isinstance(choice, Mapping) else choice


def _field_schema(field: Field) -> dict[str, Any]:
    schema_type = _json_type(field.type)
    schema: dict[str, Any] = {"title": field.label, "description": field.description, "type": schema_type}
    schema_format = _FORMAT_OF_TYPE.get(field.type, field.extra.get("format"))
    if schema_format is not None:
        schema["format"] = schema_format
    if field.has_default:
        schema["default"] = field.default
    minimum, maximum = field.extra.get("minimum"), field.extra.get("maximum")
    # Production tests the bounds for truthiness, so a bound of 0 is ignored.
    if field.type == "string":
        if minimum:
            schema["minLength"] = minimum
        if maximum:
            schema["maxLength"] = maximum
    elif field.type == "number":
        if minimum:
            schema["minimum"] = minimum
        if maximum:
            schema["maximum"] = maximum
    if field.choices is not None:
        schema["enum"] = [_choice_value(choice) for choice in field.choices]
    if field.allow_null:
        schema["type"] = [*(schema_type if isinstance(schema_type, list) else [schema_type]), "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if field.multiple:
        schema["items"] = {"type": schema_type}
        schema["type"] = "array"
        if "enum" in schema:
            schema["items"]["enum"] = schema.pop("enum")
    if schema_type == "object" and field.properties is not None:
        nested = _object_schema(field.properties, bool(field.extra.get("additionalProperties")))
        if field.multiple:
            schema["items"] = nested
        else:
            # Spread over the field's own keys: "type" becomes "object" even when
            # allow_null had made it ["object", "null"].
            schema.update(nested)
    return schema


def _object_schema(fields: Mapping[str, Field], additional_properties: bool) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "additionalProperties": additional_properties,
        "properties": {key: _field_schema(field) for key, field in fields.items()},
        "required": [key for key, field in fields.items() if field.required is True],
    }


def fields_to_json_schema(fields: Mapping[str, Field]) -> dict[str, Any]:
    """The JSON Schema production validates an action's payload against."""
    return _object_schema(fields, False)
