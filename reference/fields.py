"""Field definitions: the typed shape of an action's inputs.

Each action declares its fields the way production does (type, required,
multiple, nested properties, default mapping).  Validation schemas, default
mappings and the linter are all derived from these definitions, so they are
the single place a field's meaning is written down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FieldType = Literal["string", "text", "password", "datetime", "integer", "number", "boolean", "object"]

#: Marks "no default mapping" (distinct from a default of JSON ``null``).
NO_DEFAULT: Any = type("NoDefault", (), {"__repr__": lambda self: "NO_DEFAULT"})()


@dataclass(frozen=True)
class Field:
    """One input field of an action, as production declares it."""

    label: str
    description: str
    type: FieldType
    required: bool = False
    multiple: bool = False
    allow_null: bool = False
    default: Any = NO_DEFAULT
    properties: Mapping[str, Field] | None = None
    choices: tuple[str, ...] | None = None
    placeholder: str | None = None
    hidden: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


Fields = Mapping[str, Field]
