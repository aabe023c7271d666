"""From event to body: production's per-action pipeline, compiled once per configuration.

1. mapping: the action's field defaults, overridden key by key by the user's mapping;
2. resolve the mapping against the raw event (mapping kit);
3. remove empty values and 4. validate and coerce against the fields' schema;
   (then the runtime's audience-membership read, which throws on a null context);
5. build the body with production's key order and presence rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from reference.actions import ACTIONS, ActionDefinition
from reference.audience import check_audience_membership
from reference.errors import InvalidEventError, InvalidMappingError, UnknownActionError
from reference.mapping_kit import compile_mapping
from reference.payload_schema import PayloadSchema, compile_payload_schema


def get_action(name: str) -> ActionDefinition:
    try:
        return ACTIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIONS)
        raise UnknownActionError(f"unknown action {name!r}; known actions: {known}") from None


@cache
def payload_schema(action: str) -> PayloadSchema:
    """One compiled schema per action, shared by every configuration."""
    return compile_payload_schema(get_action(action).fields)


def effective_mapping(
    definition: ActionDefinition, mapping: Mapping[str, Any] | None, use_default_mappings: bool
) -> dict[str, Any]:
    """The mapping production resolves: defaults first, the user's keys on top."""
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, Mapping):
        raise InvalidMappingError("a mapping must be a JSON object of field names to values", "")
    base = definition.default_mapping() if use_default_mappings else {}
    return {**base, **mapping}


class CompiledAction:
    """An action with one configuration (mapping, defaults on or off), ready for many events."""

    def __init__(
        self, action: str, mapping: Mapping[str, Any] | None = None, *, use_default_mappings: bool = True
    ) -> None:
        self.definition = get_action(action)
        self.mapping = effective_mapping(self.definition, mapping, use_default_mappings)
        self._resolver = compile_mapping(self.mapping)
        self._schema = payload_schema(action)

    @property
    def name(self) -> str:
        return self.definition.name

    def payload(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """The validated payload; raises PayloadValidationError when production would reject the event."""
        if not isinstance(event, Mapping):
            raise InvalidEventError("an event must be a JSON object")
        resolved = self._resolver.resolve(event)
        payload = self._schema.process(resolved if isinstance(resolved, dict) else {})
        check_audience_membership(event)
        return payload

    def body(self, event: Mapping[str, Any], settings_keys: Mapping[str, Any]) -> dict[str, Any]:
        return self.definition.build_body(settings_keys, self.payload(event))
