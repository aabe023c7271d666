"""What production's Cordial (Actions) destination declares, as the strategies need it.

The strategies ship inside the package and cannot read the shared metadata,
so the facts they use (action names, each field's name, type, required flag,
``multiple`` flag and declared sub-properties, and the e-commerce event names
the default subscriptions look for) are written down here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

FieldKind = Literal["string", "datetime", "integer", "number", "object"]


@dataclass(frozen=True)
class FieldShape:
    """One action field: enough to generate a mapping of the right (or wrong) shape."""

    name: str
    kind: FieldKind
    required: bool = False
    multiple: bool = False
    properties: tuple[FieldShape, ...] = ()


def _identity_fields() -> tuple[FieldShape, ...]:
    return (
        FieldShape("segmentId", "string"),
        FieldShape("anonymousId", "string"),
        FieldShape("userIdentities", "object"),
    )


_ORDER_ITEM = (
    FieldShape("productID", "string", required=True),
    FieldShape("sku", "string", required=True),
    FieldShape("category", "string"),
    FieldShape("name", "string", required=True),
    FieldShape("manufacturerName", "string"),
    FieldShape("itemPrice", "number"),
    FieldShape("qty", "integer"),
    FieldShape("url", "string"),
    FieldShape("imageUrl", "string"),
    FieldShape("properties", "object"),
)

#: Every action of the destination and its fields, in production's declaration order.
ACTION_FIELDS: MappingProxyType[str, tuple[FieldShape, ...]] = MappingProxyType(
    {
        "createContactactivity": (
            *_identity_fields(),
            FieldShape("action", "string", required=True),
            FieldShape("time", "datetime"),
            FieldShape("properties", "object"),
            FieldShape("context", "object"),
        ),
        "upsertContact": (
            *_identity_fields(),
            FieldShape("attributes", "object"),
        ),
        "addContactToList": (
            *_identity_fields(),
            FieldShape("groupId", "string", required=True),
            FieldShape("listName", "string"),
        ),
        "removeContactFromList": (
            *_identity_fields(),
            FieldShape("groupId", "string", required=True),
        ),
        "addProductToCart": (
            *_identity_fields(),
            FieldShape("productID", "string", required=True),
            FieldShape("sku", "string", required=True),
            FieldShape("qty", "integer", required=True),
            FieldShape("category", "string", required=True),
            FieldShape("name", "string", required=True),
            FieldShape("description", "string"),
            FieldShape("itemPrice", "number"),
            FieldShape("url", "string"),
            FieldShape("imageUrl", "string"),
            FieldShape("properties", "object"),
        ),
        "removeProductFromCart": (
            *_identity_fields(),
            FieldShape("productID", "string", required=True),
            FieldShape("qty", "integer", required=True),
        ),
        "upsertOrder": (
            *_identity_fields(),
            FieldShape("orderID", "string", required=True),
            FieldShape("purchaseDate", "datetime", required=True),
            FieldShape("status", "string", required=True),
            FieldShape("totalAmount", "number", required=True),
            FieldShape(
                "discountApplication",
                "object",
                properties=(FieldShape("type", "string"), FieldShape("amount", "number")),
            ),
            FieldShape("properties", "object"),
            FieldShape("items", "object", required=True, multiple=True, properties=_ORDER_ITEM),
        ),
        "mergeContacts": (
            FieldShape("segmentId", "string"),
            FieldShape("anonymousId", "string"),
            FieldShape("previousId", "string", required=True),
        ),
    }
)

#: Action names in production's definition order (the order routing reports them in).
ACTIONS: tuple[str, ...] = tuple(ACTION_FIELDS)

#: Track events the default subscriptions single out (Segment's e-commerce spec names).
PRODUCT_EVENTS: tuple[str, ...] = ("Product Added", "Product Removed")
ORDER_EVENTS: tuple[str, ...] = ("Order Completed", "Order Updated", "Order Refunded", "Order Cancelled")
ECOMMERCE_EVENTS: tuple[str, ...] = PRODUCT_EVENTS + ORDER_EVENTS

#: Event types of the Segment spec that the destination receives.
EVENT_TYPES: tuple[str, ...] = ("track", "page", "identify", "group", "alias")


def field_names(action: str) -> tuple[str, ...]:
    """The field names of ``action``; a clear error for an unknown action name."""
    return tuple(f.name for f in fields_of(action))


def fields_of(action: str) -> tuple[FieldShape, ...]:
    """The fields of ``action`` in declaration order."""
    try:
        return ACTION_FIELDS[action]
    except KeyError:
        known = ", ".join(ACTIONS)
        raise ValueError(f"unknown action {action!r}; the Cordial actions are: {known}") from None
