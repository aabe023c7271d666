"""What ``cordial-harness map`` does to one input line, with no I/O.

An input line is ``{"id", "action"?, "subscribe"?, "event", "mapping"?,
"useDefaultMappings"?, "settings"?}``; the result is one or more output lines
(a request, an error, or a skip).  Nothing a line contains can stop the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference import Destination, Settings
from reference.errors import CordialHarnessError
from reference.subscriptions import parse_subscription

_KEYS = {"id", "action", "subscribe", "event", "mapping", "useDefaultMappings", "settings"}
#: Keys other tools write beside a case (``fuzz`` records why it failed); ``map`` ignores them.
_IGNORED_KEYS = {"failure", "note"}
_MISSING = object()


class InvalidInput(CordialHarnessError):
    kind = "InvalidInput"


def _checked_input(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput("each line must be a JSON object with at least an 'event'")
    unknown = sorted(set(value) - _KEYS - _IGNORED_KEYS)
    if unknown:
        raise InvalidInput(
            f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(_KEYS))}"
        )
    if not isinstance(value.get("event"), dict):
        raise InvalidInput("'event' is required and must be a JSON object")
    expected = {
        "action": (str, "a string"),
        "subscribe": (str, "a string"),
        "mapping": (dict, "a JSON object"),
        "useDefaultMappings": (bool, "true or false"),
        "settings": (dict, "a JSON object"),
    }
    for key, (kind, description) in expected.items():
        if key in value and not isinstance(value[key], kind):
            raise InvalidInput(f"'{key}' must be {description}")
    if "subscribe" in value and "action" not in value:
        raise InvalidInput("'subscribe' needs an 'action' to subscribe")
    return value


class LineMapper:
    """Maps input lines to output lines; settings from the command line are the base."""

    def __init__(self, base_settings: Mapping[str, Any] | None = None, *, show_secrets: bool = False) -> None:
        self.base_settings = {k: v for k, v in (base_settings or {}).items() if v is not None}
        self.show_secrets = show_secrets
        self._destinations: dict[tuple, Destination] = {}

    def _destination(self, line_settings: Mapping[str, Any] | None) -> Destination:
        merged = {**self.base_settings, **(line_settings or {})}
        key = tuple(sorted((k, repr(v)) for k, v in merged.items()))
        destination = self._destinations.get(key)
        if destination is None:
            destination = Destination(Settings.from_json(merged))
            self._destinations[key] = destination
        return destination

    def map(self, value: Any) -> list[dict[str, Any]]:
        """The output lines for one parsed input line."""
        line_id = value.get("id", _MISSING) if isinstance(value, dict) else _MISSING
        head = {} if line_id is _MISSING else {"id": line_id}
        try:
            line = _checked_input(value)
            destination = self._destination(line.get("settings"))
        except CordialHarnessError as exc:
            return [{**head, "error": exc.to_json()}]
        action = line.get("action")
        event = line["event"]
        if action is None:
            try:
                actions = destination.route(event)
            except CordialHarnessError as exc:
                return [{**head, "action": None, "error": exc.to_json()}]
            if not actions:
                return [{**head, "action": None, "skipped": "no subscription matched"}]
            return [self._build(head, destination, name, line) for name in actions]
        if "subscribe" in line:
            try:
                matched = parse_subscription(line["subscribe"]).matches(event)
            except CordialHarnessError as exc:
                return [{**head, "action": action, "error": exc.to_json()}]
            if not matched:
                return [{**head, "action": action, "skipped": "subscription did not match"}]
        return [self._build(head, destination, action, line)]

    def _build(self, head: dict, destination: Destination, action: str, line: dict) -> dict[str, Any]:
        try:
            request = destination.build_request(
                action, line["event"], line.get("mapping"), line.get("useDefaultMappings", True)
            )
        except CordialHarnessError as exc:
            return {**head, "action": action, "error": exc.to_json()}
        return {**head, "action": action, "request": request.to_json(show_secrets=self.show_secrets)}


def invalid_json_line(message: str) -> dict[str, Any]:
    return {"error": {"type": InvalidInput.kind, "message": message}}
