"""Hypothesis strategies for testing a Cordial (Actions) integration.

Everything here generates JSON values (dicts, lists, strings, numbers) in
the shapes production handles: Segment events, mapping-kit mappings, FQL
subscriptions and destination settings.  Realistic values by default;
``hostile=True`` / ``valid=False`` for the inputs that break implementations.

Example (a property test of your own)::

    from hypothesis import given
    from contracts import strategies as st_c
    from reference import Destination, Settings
    from reference.errors import PayloadValidationError

    @given(st_c.ecommerce_events(["Product Added"], hostile=True), st_c.settings())
    def test_product_added_is_sent_or_rejected_cleanly(event, settings):
        dest = Destination(Settings.from_json(settings))
        try:
            request = dest.build_request("addProductToCart", event)
        except PayloadValidationError as error:
            assert error.message  # rejected with production's message
        else:
            assert request.url.endswith("/api/segment/addProductToCart")

Strategies:

- events: ``events(types, hostile)``, ``track_events(event_names, hostile)``,
  ``ecommerce_events(event_names, hostile)``, ``page_events``,
  ``identify_events``, ``group_events``, ``alias_events``, ``products()``
- mappings: ``mappings(valid)``, ``mapping_values(valid)``,
  ``failing_mappings()``, ``action_mappings(action, complete)``,
  ``field_values(field)``, ``user_identities()``, ``liquid_templates()``, ``templates()``, ``paths()``
- subscriptions: ``subscriptions(valid)``, ``default_subscriptions()``
- settings: ``settings(segment_id_key, unusual)``, ``api_keys()``
- values: ``timestamps(hostile)``, ``odd_timestamps()``, ``hostile_values()``,
  ``hostile_scalars()``, ``tricky_numbers()``, ``tricky_texts()``,
  ``numeric_strings()``, ``deep_nesting()``

Facts about the destination the strategies rely on (action names, field
names and types, e-commerce event names) are in ``action_fields``.
"""

from __future__ import annotations

from .action_fields import (
    ACTION_FIELDS,
    ACTIONS,
    ECOMMERCE_EVENTS,
    EVENT_TYPES,
    ORDER_EVENTS,
    PRODUCT_EVENTS,
    FieldShape,
    field_names,
    fields_of,
)
from .destination_settings import api_keys, settings
from .events import (
    REQUIRED_KEYS,
    alias_events,
    ecommerce_events,
    events,
    group_events,
    identify_events,
    page_events,
    products,
    track_events,
)
from .field_mappings import action_mappings, field_values, user_identities
from .mappings import (
    failing_mappings,
    liquid_templates,
    mapping_values,
    mappings,
    paths,
    templates,
)
from .subscriptions import DEFAULT_SUBSCRIPTIONS, default_subscriptions, subscriptions
from .values import (
    deep_nesting,
    hostile_scalars,
    hostile_values,
    numeric_strings,
    odd_timestamps,
    timestamps,
    tricky_numbers,
    tricky_texts,
)

__all__ = [
    "ACTIONS",
    "ACTION_FIELDS",
    "DEFAULT_SUBSCRIPTIONS",
    "ECOMMERCE_EVENTS",
    "EVENT_TYPES",
    "ORDER_EVENTS",
    "PRODUCT_EVENTS",
    "REQUIRED_KEYS",
    "FieldShape",
    "action_mappings",
    "alias_events",
    "api_keys",
    "deep_nesting",
    "default_subscriptions",
    "ecommerce_events",
    "events",
    "failing_mappings",
    "field_names",
    "field_values",
    "fields_of",
    "group_events",
    "hostile_scalars",
    "hostile_values",
    "identify_events",
    "liquid_templates",
    "mapping_values",
    "mappings",
    "numeric_strings",
    "odd_timestamps",
    "page_events",
    "paths",
    "products",
    "settings",
    "subscriptions",
    "templates",
    "timestamps",
    "track_events",
    "tricky_numbers",
    "tricky_texts",
    "user_identities",
]
