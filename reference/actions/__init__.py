"""The destination's eight actions, in production's definition order.

Routing returns matching actions in this order, so it is part of the contract.
"""

from __future__ import annotations

from reference.actions import (
    add_contact_to_list,
    add_product_to_cart,
    create_contactactivity,
    merge_contacts,
    remove_contact_from_list,
    remove_product_from_cart,
    upsert_contact,
    upsert_order,
)
from reference.actions.definition import ActionDefinition

ACTIONS: dict[str, ActionDefinition] = {
    module.ACTION.name: module.ACTION
    for module in (
        create_contactactivity,
        upsert_contact,
        add_contact_to_list,
        remove_contact_from_list,
        add_product_to_cart,
        remove_product_from_cart,
        upsert_order,
        merge_contacts,
    )
}

__all__ = ["ACTIONS", "ActionDefinition"]
