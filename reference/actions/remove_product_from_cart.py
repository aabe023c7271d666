"""removeProductFromCart: remove units of a product from the contact's cart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.cart_fields import PRODUCT_ID, QTY
from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.fields import Field

FIELDS: dict[str, Field] = {**IDENTITY_FIELDS, "productID": PRODUCT_ID, "qty": QTY}


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, ("productID", "qty"))


ACTION = ActionDefinition(
    name="removeProductFromCart",
    title="Remove Product from Cart",
    description="Removes product from Cordial contact cart",
    default_subscription='type = "track" and event = "Product Removed"',
    fields=FIELDS,
    build_body=build_body,
)
