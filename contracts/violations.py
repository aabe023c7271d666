"""What a contract check reports: one :class:`Violation` per broken rule."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

__all__ = ["Violation", "json_pointer", "violations_from_errors"]

_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Violation:
    """One broken rule of a contract.

    ``location`` is ``body``, ``query``, ``path`` or ``header`` (and, for a
    response whose status the contract does not list, ``status``);
    ``pointer`` is a JSON pointer into that location (``/items/0/qty``; a
    parameter's pointer is ``/<name>``); ``rule`` is the JSON Schema keyword
    broken (``type``, ``required``, ``additionalProperties``...) or, outside
    schemas, ``contentType``, ``requestBody`` or ``responses``.
    """

    location: str
    pointer: str
    rule: str
    message: str

    def to_json(self) -> dict:
        """The violation as a JSON object (as listed in a problem+json answer)."""
        return {
            "location": self.location,
            "pointer": self.pointer,
            "rule": self.rule,
            "message": self.message,
        }


def json_pointer(parts: Iterable[Any]) -> str:
    """RFC 6901 pointer for a path of keys and indexes (``[]`` is the whole document: ``""``)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _short(message: str) -> str:
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 1] + "…"


def _extra_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    declared = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in instance if key not in declared and not any(p.search(str(key)) for p in patterns)]


def _missing_keys(error: ValidationError) -> list[str]:
    required = error.validator_value if isinstance(error.validator_value, list) else []
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in required if key not in instance]


def violations_from_errors(
    errors: Iterable[ValidationError], location: str, prefix: Sequence[Any] = ()
) -> list[Violation]:
    """Turn jsonschema errors into violations, one per missing or unexpected key.

    ``prefix`` is prepended to each error's instance path (a query
    parameter's name, for example).
    """
    found: dict[tuple[str, str], Violation] = {}
    for error in errors:
        rule = str(error.validator)
        path = [*prefix, *error.absolute_path]
        if rule == "required":
            for key in _missing_keys(error):
                pointer = json_pointer([*path, key])
                found.setdefault(
                    (pointer, rule), Violation(location, pointer, rule, f"missing required property {key!r}")
                )
        elif rule == "additionalProperties" and error.validator_value is False:
            for key in _extra_keys(error):
                pointer = json_pointer([*path, key])
                found.setdefault(
                    (pointer, rule), Violation(location, pointer, rule, f"unexpected property {key!r}")
                )
        else:
            pointer = json_pointer(path)
            found.setdefault((pointer, rule), Violation(location, pointer, rule, _short(error.message)))
    return sorted(found.values(), key=lambda v: (v.pointer, v.rule))
