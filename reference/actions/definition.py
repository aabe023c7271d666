"""What an action is: its fields, default subscription and body builder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reference.fields import Field

#: Builds the request body from the settings-level keys and the validated payload.
BodyBuilder = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class ActionDefinition:
    """One of the destination's actions, as production declares it."""

    name: str
    title: str
    description: str
    default_subscription: str | None
    fields: Mapping[str, Field]
    build_body: BodyBuilder

    @property
    def path(self) -> str:
        return f"/api/segment/{self.name}"

    def default_mapping(self) -> dict[str, Any]:
        """The mapping production uses when default mappings are on."""
        return {key: field.default for key, field in self.fields.items() if field.has_default}


def pick(payload: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Copy ``keys`` in order, skipping absent ones.

    Production spreads payload values into an object literal and serialises it
    with JSON.stringify, which drops keys whose value is undefined: a key the
    payload lacks is therefore never sent, while an explicit null would be.
    """
    return {key: payload[key] for key in keys if key in payload}
