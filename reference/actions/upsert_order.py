"""upsertOrder: create or update an order (keyed by orderID) from an order event.

Production defect kept on purpose: the default ``items`` mapping spells the
brand key ``manufacturerNname``; it is not a declared item property, so
validation drops it and ``manufacturerName`` is never sent by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.actions.definition import ActionDefinition, pick
from reference.actions.identity import IDENTITY_FIELDS, identity_body
from reference.fields import Field

_ITEM_PROPERTIES: dict[str, Field] = {
    "productID": Field(label="ID", description="Id of the purchased item.", type="string", required=True),
    "sku": Field(label="SKU", description="SKU of the purchased item.", type="string", required=True),
    "category": Field(label="Category", description="Category of the purchased item.", type="string"),
    "name": Field(label="Name", description="Name of the purchased item.", type="string", required=True),
    "manufacturerName": Field(
        label="Manufacturer name", description="Brand of the purchased item.", type="string"
    ),
    "itemPrice": Field(label="Price", description="Unit price of the purchased item.", type="number"),
    "qty": Field(label="Quantity", description="Units purchased.", type="integer"),
    "url": Field(label="URL", description="Page of the purchased item.", type="string"),
    "imageUrl": Field(label="Image URL", description="Image of the purchased item.", type="string"),
    "properties": Field(label="Properties", description="Further attributes of the item.", type="object"),
}

DEFAULT_ITEMS_MAPPING: dict[str, Any] = {
    "@arrayPath": [
        "$.properties.products",
        {
            "productID": {"@path": "$.product_id"},
            "sku": {"@path": "$.sku"},
            "category": {"@path": "$.category"},
            "name": {"@path": "$.name"},
            "manufacturerNname": {"@path": "$.brand"},  # sic: production's spelling
            "itemPrice": {"@path": "$.price"},
            "qty": {"@path": "$.quantity"},
            "url": {"@path": "$.url"},
            "imageUrl": {"@path": "$.image_url"},
            "properties": {"variant": {"@path": "$.variant"}, "coupon": {"@path": "$.coupon"}},
        },
    ]
}

FIELDS: dict[str, Field] = {
    **IDENTITY_FIELDS,
    "orderID": Field(
        label="Order ID",
        description="The order's id; orders are upserted by it.",
        type="string",
        required=True,
        default={"@path": "$.properties.order_id"},
    ),
    "purchaseDate": Field(
        label="Order purchase date",
        description="When the order was placed.",
        type="datetime",
        required=True,
        default={"@path": "$.timestamp"},
    ),
    "status": Field(
        label="Order status",
        description="Order status, e.g. completed, cancelled, returned.",
        type="string",
        required=True,
        default={"@path": "$.event"},
    ),
    "totalAmount": Field(
        label="Order total",
        description="The order's total amount.",
        type="number",
        required=True,
        default={"@path": "$.properties.total"},
    ),
    "discountApplication": Field(
        label="Discount application",
        description="A fixed discount: type 'fixed' and a non-zero amount; anything else is sent as null.",
        type="object",
        default={"type": "fixed", "amount": {"@path": "$.properties.discount"}},
        properties={
            "type": Field(
                label="Type",
                description="Kind of discount; only 'fixed' is known.",
                type="string",
                choices=("fixed",),
                placeholder="fixed",
            ),
            "amount": Field(label="Amount", description="Discount amount.", type="number", placeholder="0.0"),
        },
    ),
    "properties": Field(
        label="Order properties",
        description="Further order attributes such as affiliation, tax or revenue.",
        type="object",
        default={
            "affiliation": {"@path": "$.properties.affiliation"},
            "revenue": {"@path": "$.properties.revenue"},
            "shipping": {"@path": "$.properties.shipping"},
            "tax": {"@path": "$.properties.tax"},
            "discount": {"@path": "$.properties.discount"},
            "coupon": {"@path": "$.properties.coupon"},
            "currency": {"@path": "$.properties.currency"},
        },
        extra={"defaultObjectUI": "keyvalue:only"},
    ),
    "items": Field(
        label="Order items",
        description="The purchased items.",
        type="object",
        required=True,
        multiple=True,
        properties=_ITEM_PROPERTIES,
        default=DEFAULT_ITEMS_MAPPING,
        extra={"defaultObjectUI": "keyvalue:only"},
    ),
}

_BODY_KEYS = ("orderID", "purchaseDate", "status", "totalAmount", "properties", "items")


def _js_truthy(value: Any) -> bool:
    return value not in (None, False, "", 0) and value == value  # NaN is falsy too


def discount_application(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """The discount production sends: a non-empty object, type 'fixed', truthy amount; else null."""
    discount = payload.get("discountApplication")
    is_fixed = isinstance(discount, dict) and discount.get("type") == "fixed"
    return discount if is_fixed and _js_truthy(discount.get("amount")) else None


def build_body(settings_keys: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    body = identity_body(settings_keys, payload) | pick(payload, _BODY_KEYS)
    body["discountApplication"] = discount_application(payload)
    return body


ACTION = ActionDefinition(
    name="upsertOrder",
    title="Upsert Order",
    description="Upserts order to Cordial",
    default_subscription=(
        'event = "Order Completed" or event = "Order Updated" or event = "Order Refunded" '
        'or event = "Order Cancelled"'
    ),
    fields=FIELDS,
    build_body=build_body,
)
