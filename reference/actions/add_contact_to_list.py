"""addContactToList: put the contact on a list, creating the list on first use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.actions.list_fields import GROUP_ID
from reference.fields import Field

FIELDS: dict[str, Field] = {
    **IDENTITY_FIELDS,
    "groupId": GROUP_ID,
    "listName": Field(
        label="List name",
        description="Name of the Cordial list; segment_<groupId> is used when empty.",
        type="string",
        default={"@path": "$.traits.name"},
    ),
}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, ("groupId", "listName"))


ACTION = ActionDefinition(
    name="addContactToList",
    title="Add Contact to List",
    description="Add contact to a list. If the list does not exist in Cordial it will be created.",
    default_subscription='type = "group"',
    fields=FIELDS,
    build_body=build_body,
)
