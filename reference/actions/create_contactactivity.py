"""createContactactivity: record a track or page event as a Cordial contact activity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.fields import Field

FIELDS: dict[str, Field] = {
    **IDENTITY_FIELDS,
    "action": Field(
        label="Event name",
        description="Activity name; page events have no event name and become 'pageView'.",
        type="string",
        required=True,
        default={"@if": {"exists": {"@path": "$.event"}, "then": {"@path": "$.event"}, "else": "pageView"}},
    ),
    "time": Field(
        label="Event timestamp",
        description="When the activity happened; Cordial uses the upload time when absent.",
        type="datetime",
        default={"@path": "$.timestamp"},
    ),
    "properties": Field(
        label="Event properties",
        description="Free-form attributes of the activity.",
        type="object",
        default={"@path": "$.properties"},
    ),
    "context": Field(
        label="Event context",
        description="The event's context (device, ip, library...) as the source sent it.",
        type="object",
        default={"@path": "$.context"},
    ),
}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, ("action", "time", "properties", "context"))


ACTION = ActionDefinition(
    name="createContactactivity",
    title="Create Contactactivity",
    description="Create a new contact activity.",
    default_subscription='type = "track" or type = "page"',
    fields=FIELDS,
    build_body=build_body,
)
