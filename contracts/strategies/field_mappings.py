"""User mappings for one Cordial action: fields overridden with mapping-kit directives.

A user of the destination keeps the default mappings and overrides a few
fields (for example ``userIdentities: {"channels.email.address": {"@path":
"$.traits.email"}}``), or replaces all of them.  Values are mostly suited to
the field's type and read from where the Segment spec puts the data, so most
generated payloads are accepted; a share are deliberately off-type so that
production's validation messages are exercised too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from .action_fields import FieldShape, fields_of
from .mappings import (
    case_directives,
    flatten_directives,
    if_directives,
    json_directives,
    liquid_templates,
    merge_directives,
    replace_directives,
    templates,
    valid_values,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]

#: Where the Segment spec carries the data each field name stands for.
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "segmentId": ("$.userId",),
    "anonymousId": ("$.anonymousId",),
    "action": ("$.event", "$.name", "$.type"),
    "time": ("$.timestamp", "$.receivedAt", "$.sentAt"),
    "properties": ("$.properties",),
    "context": ("$.context",),
    "attributes": ("$.traits", "$.context.traits"),
    "groupId": ("$.groupId",),
    "listName": ("$.traits.name", "$.traits.industry"),
    "productID": ("$.properties.product_id", "$.properties.sku"),
    "sku": ("$.properties.sku",),
    "qty": ("$.properties.quantity",),
    "category": ("$.properties.category",),
    "name": ("$.properties.name",),
    "description": ("$.properties.description", "$.properties.variant"),
    "itemPrice": ("$.properties.price",),
    "url": ("$.properties.url",),
    "imageUrl": ("$.properties.image_url",),
    "orderID": ("$.properties.order_id", "$.properties.checkout_id"),
    "purchaseDate": ("$.timestamp", "$.originalTimestamp"),
    "status": ("$.event",),
    "totalAmount": ("$.properties.total", "$.properties.revenue", "$.properties.subtotal"),
    "previousId": ("$.previousId",),
}
#: The same for one element of ``properties.products`` (order items).
ITEM_SOURCES: dict[str, tuple[str, ...]] = {
    "productID": ("$.product_id",),
    "sku": ("$.sku",),
    "category": ("$.category",),
    "name": ("$.name",),
    "manufacturerName": ("$.brand",),
    "itemPrice": ("$.price",),
    "qty": ("$.quantity",),
    "url": ("$.url",),
    "imageUrl": ("$.image_url",),
    "properties": ("$.variant",),
}
#: Paths that usually hold a string in a Segment event (for string fields without a known source).
STRING_PATHS = (
    "$.userId",
    "$.anonymousId",
    "$.event",
    "$.traits.email",
    "$.traits.name",
    "$.properties.sku",
    "$.name",
)
IDENTITY_KEYS = (
    "channels.email.address",
    "channels.sms.address",
    "customerId",
    "email",
    "cID",
    "channels.push.address",
)
IDENTITY_PATHS = (
    "$.traits.email",
    "$.context.traits.email",
    "$.properties.email",
    "$.userId",
    "$.traits.phone",
)


def _sources(shape: FieldShape) -> st.SearchStrategy[dict[str, str]]:
    known = FIELD_SOURCES.get(shape.name, STRING_PATHS if shape.kind == "string" else ("$.properties",))
    return st.sampled_from(known).map(lambda p: {"@path": p})


def _string_values(shape: FieldShape) -> st.SearchStrategy[Any]:
    source = _sources(shape)
    name = shape.name
    return st.one_of(
        source,
        source,
        source.map(lambda p: {"@template": "{{" + p["@path"].removeprefix("$.") + "}}"}),
        source.map(lambda p: {"@liquid": "{{ " + p["@path"].removeprefix("$.") + " }}"}),
        case_directives(source),
        replace_directives(source),
        if_directives(source, source),
        json_directives(source),
        templates().map(lambda t: {"@template": t}),
        liquid_templates().map(lambda t: {"@liquid": t}),
        st.sampled_from((f"{name}-literal", "", "Order Completed")),
    )


def _number_values(shape: FieldShape) -> st.SearchStrategy[Any]:
    source = _sources(shape)
    literals = (
        (1, 2, 2.0, "3", 0, -1, 2.5, "4.5") if shape.kind == "integer" else (19.99, 0, "12.5", 3, -2.5, 1e21)
    )
    return st.one_of(
        source,
        source,
        st.sampled_from(literals),
        source.map(lambda p: {"@liquid": "{{ " + p["@path"].removeprefix("$.") + " | plus: 1 }}"}),
        st.sampled_from(("$.properties.quantity", "$.properties.price", "$.traits.age")).map(
            lambda p: {"@path": p}
        ),
    )


def _datetime_values(shape: FieldShape) -> st.SearchStrategy[Any]:
    return st.one_of(
        _sources(shape),
        _sources(shape),
        st.sampled_from(("$.traits.createdAt", "$.properties.date")).map(lambda p: {"@path": p}),
        st.sampled_from(("2024-03-10T12:30:00Z", "1710073800", 1710073800, "2024-03-10", "not a date")),
    )


@st.composite
def user_identities(draw: Draw) -> Any:
    """``userIdentities``: Cordial identifier keys mapped to where the event carries them."""
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return {"@path": "$.traits"}
    if kind == 1:
        email = {"@path": "$.traits.email"}
        return {"@if": {"exists": email, "then": {"channels.email.address": email}}}
    keys = draw(st.lists(st.sampled_from(IDENTITY_KEYS), min_size=1, max_size=3, unique=True))
    return {key: {"@path": draw(st.sampled_from(IDENTITY_PATHS))} for key in keys}


@st.composite
def _order_items(draw: Draw, shape: FieldShape) -> Any:
    names = [p.name for p in shape.properties]
    keys = [p.name for p in shape.properties if p.required and draw(st.integers(0, 9)) > 0]
    keys += draw(st.lists(st.sampled_from(names), max_size=5, unique=True))
    item: dict[str, Any] = {}
    for key in dict.fromkeys(keys):
        if key == "properties":
            item[key] = {"variant": {"@path": "$.variant"}, "coupon": {"@path": "$.coupon"}}
        else:
            item[key] = {"@path": draw(st.sampled_from(ITEM_SOURCES[key]))}
    if draw(st.integers(0, 5)) == 0:
        item["manufacturerNname"] = {"@path": "$.brand"}  # production's default misspells it
    root = draw(st.sampled_from(("$.properties.products", "$.properties.products", "$.properties")))
    if draw(st.integers(0, 9)) == 0:
        return {"@path": "$.properties.products"}
    return {"@arrayPath": [root, item]}


def _object_values(shape: FieldShape) -> st.SearchStrategy[Any]:
    if shape.name == "userIdentities":
        return user_identities()
    if shape.multiple:
        return _order_items(shape)
    if shape.properties:
        return st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(("fixed", "fixed", "percent", "", None)),
                "amount": st.one_of(
                    st.just({"@path": "$.properties.discount"}), st.sampled_from((5, 0, "2.5", None))
                ),
                "undeclared": st.just("dropped by validation"),
            },
        )
    return st.one_of(
        _sources(shape),
        _sources(shape),
        st.sampled_from(("$.traits", "$.context.page", "$.properties.products[0]")).map(
            lambda p: {"@path": p}
        ),
        merge_directives(valid_values(0)),
        flatten_directives(_sources(shape)),
        st.dictionaries(
            st.sampled_from(("plan", "email", "sku", "nested")), valid_values(1), min_size=1, max_size=3
        ),
    )


@cache
def field_values(shape: FieldShape) -> st.SearchStrategy[Any]:
    """A valid mapping value suited to one action field's type and meaning."""
    if shape.kind == "string":
        return _string_values(shape)
    if shape.kind in ("integer", "number"):
        return _number_values(shape)
    if shape.kind == "datetime":
        return _datetime_values(shape)
    return _object_values(shape)


def action_mappings(action: str, complete: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A user mapping for one Cordial ``action`` that overrides some of its fields.

    Values are valid mappings, mostly suited to each field (so most payloads
    are accepted) and now and then any valid mapping at all (so production's
    validation messages come out too).  ``complete=True`` maps every field,
    for use with ``useDefaultMappings: false``.  An unknown action name is a
    ``ValueError`` right away.
    """
    return _action_mappings(fields_of(action), complete)


@st.composite
def _action_mappings(draw: Draw, shapes: tuple[FieldShape, ...], complete: bool) -> dict[str, Any]:
    if complete:
        chosen = list(shapes)
        off_type_odds = 3 * len(shapes)
    else:
        most = min(4, len(shapes))
        chosen = draw(st.lists(st.sampled_from(shapes), min_size=1, max_size=most, unique=True))
        off_type_odds = 6
    mapping: dict[str, Any] = {}
    for shape in chosen:
        off_type = draw(st.integers(0, off_type_odds)) == 0
        mapping[shape.name] = draw(valid_values(1) if off_type else field_values(shape))
    return mapping
