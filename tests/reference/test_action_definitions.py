"""The eight actions declare exactly production's fields (checked against ../shared when present)."""

from __future__ import annotations

from typing import Any

import pytest

from reference.actions import ACTIONS
from reference.fields import Field


def _field_facts(field: Field) -> dict[str, Any]:
    facts = {
        "label": field.label,
        "type": field.type,
        "required": field.required,
        "multiple": field.multiple,
        "default": field.default if field.has_default else None,
        "choices": list(field.choices) if field.choices else None,
    }
    if field.properties:
        facts["properties"] = {k: _field_facts(v) for k, v in field.properties.items()}
    return facts


def _metadata_facts(field: dict) -> dict[str, Any]:
    facts = {
        "label": field["label"],
        "type": field["type"],
        "required": bool(field["required"]),
        "multiple": bool(field["multiple"]),
        "default": field["default"],
        "choices": [c["value"] for c in field["choices"]] if field.get("choices") else None,
    }
    if field.get("properties"):
        facts["properties"] = {k: _metadata_facts(v) for k, v in field["properties"].items()}
    return facts


def test_actions_in_production_order(production_metadata: dict) -> None:
    assert list(ACTIONS) == list(production_metadata["actions"])


@pytest.mark.parametrize("name", list(ACTIONS))
def test_fields_match_production(name: str, production_metadata: dict) -> None:
    production = production_metadata["actions"][name]
    action = ACTIONS[name]
    assert action.title == production["title"]
    assert action.default_subscription == production["defaultSubscription"]
    assert list(action.fields) == list(production["fields"]), "field order"
    for key, field in action.fields.items():
        assert _field_facts(field) == _metadata_facts(production["fields"][key]), key


def test_default_subscriptions_from_spec() -> None:
    assert ACTIONS["removeContactFromList"].default_subscription is None
    assert "type" not in ACTIONS["upsertOrder"].default_subscription
    assert ACTIONS["mergeContacts"].default_subscription == 'type = "alias"'


def test_upsert_order_default_keeps_production_typo() -> None:
    item_shape = ACTIONS["upsertOrder"].fields["items"].default["@arrayPath"][1]
    assert "manufacturerNname" in item_shape
    assert "manufacturerName" in ACTIONS["upsertOrder"].fields["items"].properties
