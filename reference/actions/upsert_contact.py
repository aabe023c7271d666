"""upsertContact: create or update a contact from an identify call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.fields import Field

FIELDS: dict[str, Field] = {
    **IDENTITY_FIELDS,
    "attributes": Field(
        label="Contact Attributes",
        description="Contact attributes to set; Cordial ignores attributes the account does not define.",
        type="object",
        extra={"defaultObjectUI": "keyvalue:only"},
    ),
}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, ("attributes",))


ACTION = ActionDefinition(
    name="upsertContact",
    title="Upsert Contact",
    description="Create or update a contact in Cordial.",
    default_subscription='type = "identify"',
    fields=FIELDS,
    build_body=build_body,
)
