"""addProductToCart: add units of a product to the contact's cart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.cart_fields import PRODUCT_ID, QTY
from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.fields import Field

FIELDS: dict[str, Field] = {
    **IDENTITY_FIELDS,
    "productID": PRODUCT_ID,
    "sku": Field(
        label="SKU",
        description="The product's SKU.",
        type="string",
        required=True,
        default={"@path": "$.properties.sku"},
    ),
    "qty": QTY,
    "category": Field(
        label="Category",
        description="The product's category.",
        type="string",
        required=True,
        default={"@path": "$.properties.category"},
    ),
    "name": Field(
        label="Name",
        description="The product's name.",
        type="string",
        required=True,
        default={"@path": "$.properties.name"},
    ),
    "description": Field(label="Description", description="The product's description.", type="string"),
    "itemPrice": Field(
        label="Price", description="Unit price.", type="number", default={"@path": "$.properties.price"}
    ),
    "url": Field(
        label="URL", description="The product page.", type="string", default={"@path": "$.properties.url"}
    ),
    "imageUrl": Field(
        label="Image URL",
        description="The product image.",
        type="string",
        default={"@path": "$.properties.image_url"},
    ),
    "properties": Field(
        label="Properties",
        description="Further product attributes such as brand, variant or coupon.",
        type="object",
        default={
            "brand": {"@path": "$.properties.brand"},
            "variant": {"@path": "$.properties.variant"},
            "coupon": {"@path": "$.properties.coupon"},
        },
        extra={"defaultObjectUI": "keyvalue:only"},
    ),
}

_BODY_KEYS = (
    "productID",
    "sku",
    "qty",
    "category",
    "name",
    "description",
    "itemPrice",
    "url",
    "imageUrl",
    "properties",
)


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    return identity_body(settings_keys, payload) | pick(payload, _BODY_KEYS)


ACTION = ActionDefinition(
    name="addProductToCart",
    title="Add Product to Cart",
    description="Add product to Cordial contact cart",
    default_subscription='type = "track" and event = "Product Added"',
    fields=FIELDS,
    build_body=build_body,
)
