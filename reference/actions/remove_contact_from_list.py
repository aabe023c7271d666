"""removeContactFromList: take the contact off a list (no default subscription)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.actions.list_fields import GROUP_ID
from reference.fields import Field

FIELDS: dict[str, Field] = {**IDENTITY_FIELDS, "groupId": GROUP_ID}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, ("groupId",))


ACTION = ActionDefinition(
    name="removeContactFromList",
    title="Remove Contact from List",
    description="Remove Contact from Cordial List",
    default_subscription=None,
    fields=FIELDS,
    build_body=build_body,
)
