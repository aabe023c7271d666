"""The product id and quantity fields both cart actions share."""

from __future__ import annotations

from reference.fields import Field

PRODUCT_ID = Field(
    label="Product ID",
    description="The product's id; cart items are keyed by it.",
    type="string",
    required=True,
    default={"@path": "$.properties.product_id"},
)

QTY = Field(
    label="Quantity",
    description="How many units are added or removed.",
    type="integer",
    required=True,
    default={"@path": "$.properties.quantity"},
)
