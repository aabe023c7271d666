"""The identity fields and body keys shared by every action but mergeContacts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import pick
from reference.fields import Field

IDENTITY_FIELDS: dict[str, Field] = {
    "segmentId": Field(
        label="Segment User ID",
        description="The source's user id; stored in the contact attribute named by segmentIdKey.",
        type="string",
        hidden=True,
        default={"@path": "$.userId"},
    ),
    "anonymousId": Field(
        label="Segment Anonymous ID",
        description="The source's anonymous id.",
        type="string",
        hidden=True,
        default={"@path": "$.anonymousId"},
    ),
    "userIdentities": Field(
        label="User Identities",
        description=(
            "Ordered contact identifiers (e.g. channels.email.address or a secondary key such as "
            "customerId); the first that finds a contact selects it, otherwise one is created."
        ),
        type="object",
        extra={"defaultObjectUI": "keyvalue:only"},
    ),
}

_IDENTITY_KEYS = ("segmentId", "anonymousId", "userIdentities")


def identity_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    """``segmentIdKey`` from the settings, then the payload's identities, absent ones left out."""
    body = dict(settings_keys)
    body.update(pick(payload, _IDENTITY_KEYS))
    return body
