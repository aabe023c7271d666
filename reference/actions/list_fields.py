"""The group id field both list actions share."""

from __future__ import annotations

from reference.fields import Field

GROUP_ID = Field(
    label="Group ID",
    description="The source's group id; names the list segment_<groupId> when no list name is given.",
    type="string",
    required=True,
    default={"@path": "$.groupId"},
)
