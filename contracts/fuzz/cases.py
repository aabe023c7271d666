"""Fuzz cases: one generated event, mapping and settings for one action.

A case is exactly what ``cordial-harness map`` reads (``id``, ``action``,
``event``, ``mapping``, ``useDefaultMappings``, ``settings``), so a failing
case can be written out and replayed as it is.  Events and mappings pass
through JSON first, as production receives them.

Events come from the event types the action's default subscription
receives, half of them damaged (hostile).  Mappings are often the action's
defaults alone; otherwise a user mapping over the defaults, a complete
mapping without defaults, or now and then a mapping production refuses
(invalid) or cannot resolve (failing).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from contracts import strategies as sc
from reference import js_json

__all__ = ["ACTION_EVENTS", "FuzzCase", "event_strategy", "fuzz_cases"]


@dataclass(frozen=True)
class FuzzCase:
    """One input to the destination: ``mapping`` None means the action's default mapping only."""

    id: str
    action: str
    event: dict[str, Any]
    settings: dict[str, Any]
    mapping: dict[str, Any] | None = None
    use_default_mappings: bool = True

    def with_id(self, case_id: str) -> FuzzCase:
        return replace(self, id=case_id)

    def to_map_line(self) -> dict[str, Any]:
        """The case as a ``cordial-harness map`` input line."""
        line: dict[str, Any] = {"id": self.id, "action": self.action, "event": self.event}
        if self.mapping is not None:
            line["mapping"] = self.mapping
        if not self.use_default_mappings:
            line["useDefaultMappings"] = False
        line["settings"] = self.settings
        return line


def _order_events(hostile: bool) -> st.SearchStrategy[dict[str, Any]]:
    return sc.ecommerce_events(sc.ORDER_EVENTS, hostile=hostile)


#: action -> the events its default subscription lets through (as a strategy factory taking ``hostile``)
ACTION_EVENTS = MappingProxyType(
    {
        "createContactactivity": lambda hostile: sc.events(("track", "page"), hostile=hostile),
        "upsertContact": lambda hostile: sc.identify_events(hostile=hostile),
        "addContactToList": lambda hostile: sc.group_events(hostile=hostile),
        "removeContactFromList": lambda hostile: sc.group_events(hostile=hostile),
        "addProductToCart": lambda hostile: sc.ecommerce_events(["Product Added"], hostile=hostile),
        "removeProductFromCart": lambda hostile: sc.ecommerce_events(["Product Removed"], hostile=hostile),
        "upsertOrder": _order_events,
        "mergeContacts": lambda hostile: sc.alias_events(hostile=hostile),
    }
)


def _known(action: str) -> str:
    if action not in ACTION_EVENTS:
        raise ValueError(f"unknown action {action!r}; the Cordial actions are: {', '.join(ACTION_EVENTS)}")
    return action


@cache
def event_strategy(action: str) -> st.SearchStrategy[dict[str, Any]]:
    """Events for ``action``: realistic and hostile in equal measure."""
    make = ACTION_EVENTS[_known(action)]
    return st.one_of(make(False), make(True))


@cache
def _mappings(action: str) -> st.SearchStrategy[tuple[dict[str, Any] | None, bool]]:
    return st.one_of(
        st.just((None, True)),
        st.just((None, True)),
        sc.action_mappings(action).map(lambda mapping: (mapping, True)),
        sc.action_mappings(action).map(lambda mapping: (mapping, True)),
        sc.action_mappings(action, complete=True).map(lambda mapping: (mapping, False)),
        sc.mappings(valid=False).map(lambda mapping: (mapping, True)),
        sc.failing_mappings().map(lambda mapping: (mapping, True)),
    )


def _as_received(value: Any) -> Any:
    """The value as production receives it: through JSON (an integer past 2**53 becomes a double)."""
    return js_json.loads(js_json.dumps(value))


def _case(action: str, event: dict[str, Any], settings: dict[str, Any], mapping: tuple) -> FuzzCase:
    user_mapping, use_defaults = mapping
    return FuzzCase(
        id=action,
        action=action,
        event=_as_received(event),
        settings=settings,
        mapping=None if user_mapping is None else _as_received(user_mapping),
        use_default_mappings=use_defaults,
    )


@cache
def fuzz_cases(action: str) -> st.SearchStrategy[FuzzCase]:
    """Cases for one action (ids are the action name until the caller numbers them)."""
    return st.builds(_case, st.just(_known(action)), event_strategy(action), sc.settings(), _mappings(action))
