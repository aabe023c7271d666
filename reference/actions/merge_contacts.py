"""mergeContacts: fold the contact known by previousId into the one known by the new ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.fields import Field

FIELDS: dict[str, Field] = {
    "segmentId": Field(
        label="New Segment User ID",
        description="The user id the contact is known by from now on.",
        type="string",
        default={"@path": "$.userId"},
    ),
    "anonymousId": Field(
        label="New Segment Anonymous ID",
        description="The anonymous id the contact is known by from now on.",
        type="string",
        default={"@path": "$.anonymousId"},
    ),
    "previousId": Field(
        label="Previous Segment ID",
        description="The user or anonymous id the contact was known by.",
        type="string",
        required=True,
        default={"@path": "$.previousId"},
    ),
}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    # No userIdentities here, and anonymousId comes before segmentId.
    return dict(settings_keys) | pick(payload, ("anonymousId", "segmentId", "previousId"))


ACTION = ActionDefinition(
    name="mergeContacts",
    title="Merge Contacts",
    description="Merge contacts in Cordial.",
    default_subscription='type = "alias"',
    fields=FIELDS,
    build_body=build_body,
)
