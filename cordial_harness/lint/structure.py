"""Rules on the file's shape and settings, and the subscriptions the other rules look at.

These checks read the raw JSON rather than ``Configuration.from_json`` so that
every problem is reported at once (the loader stops at the first) and so that
an unknown action or a missing subscription is a finding, not a crash.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from cordial_harness.lint.findings import Finding, finding, json_pointer
from reference import js_json
from reference.actions import ACTIONS, ActionDefinition
from reference.errors import InvalidSettingsError
from reference.settings import Settings

_TOP_KEYS = ("settings", "subscriptions")
_SETTING_KEYS = ("apiKey", "endpoint", "segmentIdKey")
_SUBSCRIPTION_KEYS = ("name", "action", "subscribe", "mapping", "useDefaultMappings", "enabled")


@dataclass(frozen=True)
class SubscriptionEntry:
    """One subscription of the file, as far as it could be understood.

    ``definition`` is None when the action is unknown; ``subscribe`` is None
    when there is no usable subscription text.  Pointers lead to the entry and
    to its ``mapping`` in the file.
    """

    index: int
    pointer: str
    name: str
    action: str | None
    definition: ActionDefinition | None
    subscribe: str | None
    mapping: dict[str, Any]
    use_default_mappings: bool
    enabled: bool
    has_own_subscribe: bool
    has_own_mapping: bool

    @property
    def mapping_pointer(self) -> str:
        return f"{self.pointer}/mapping" if self.has_own_mapping else self.pointer

    @property
    def subscribe_pointer(self) -> str:
        return f"{self.pointer}/subscribe" if self.has_own_subscribe else self.pointer

    def where(self) -> dict[str, Any]:
        """The keyword arguments that place a finding on this subscription."""
        return {"subscription": self.name, "action": self.action, "index": self.index}


def check_settings(data: dict[str, Any]) -> list[Finding]:
    """Settings production would refuse, a missing key, and the trailing-slash endpoint."""
    raw = data.get("settings", {})
    if not isinstance(raw, dict):
        return [finding("invalid-configuration", "'settings' must be a JSON object", "/settings")]
    found = [
        finding(
            "invalid-settings",
            f"unknown setting {key!r}; known: {', '.join(_SETTING_KEYS)}",
            json_pointer("settings", key),
        )
        for key in raw
        if key not in _SETTING_KEYS
    ]
    if "apiKey" not in raw:
        found.append(
            finding(
                "missing-api-key",
                "no apiKey: production requires it (sent as x-api-key); "
                "the harness commands then need --api-key or CORDIAL_API_KEY",
                "/settings" if "settings" in data else "",
            )
        )
    known = {key: value for key, value in raw.items() if key in _SETTING_KEYS}
    try:
        Settings.from_json({"apiKey": "present", **known} if "apiKey" not in raw else known)
    except InvalidSettingsError as exc:
        pointer = json_pointer("settings", exc.setting) if exc.setting else "/settings"
        found.append(finding("invalid-settings", exc.message, pointer))
    endpoint = raw.get("endpoint")
    if isinstance(endpoint, str) and endpoint.endswith("/"):
        found.append(
            finding(
                "endpoint-trailing-slash",
                f"the endpoint {endpoint!r} ends with '/': production joins it by plain concatenation and "
                f"would call {endpoint}/api/segment/<action>; remove the trailing slash",
                "/settings/endpoint",
            )
        )
    return found


def check_top_level(data: Any) -> list[Finding]:
    """The file is an object with only ``settings`` and ``subscriptions``."""
    if not isinstance(data, dict):
        return [
            finding(
                "invalid-configuration",
                f"a configuration must be a JSON object with 'settings' and 'subscriptions', "
                f"not {js_json.type_name(data)}",
            )
        ]
    return [
        finding(
            "invalid-configuration", f"unknown key {key!r}; known: {', '.join(_TOP_KEYS)}", json_pointer(key)
        )
        for key in data
        if key not in _TOP_KEYS
    ]


def read_subscriptions(data: dict[str, Any]) -> tuple[list[SubscriptionEntry], list[Finding]]:
    """The subscriptions to lint and the problems of their shape.

    Without ``subscriptions`` the file means every action with a default
    subscription, with default mappings (what a new destination looks like).
    """
    raw = data.get("subscriptions")
    if raw is None:
        entries = [
            SubscriptionEntry(
                index=i,
                pointer="",
                name=name,
                action=name,
                definition=action,
                subscribe=action.default_subscription,
                mapping={},
                use_default_mappings=True,
                enabled=True,
                has_own_subscribe=False,
                has_own_mapping=False,
            )
            for i, (name, action) in enumerate(
                (name, action) for name, action in ACTIONS.items() if action.default_subscription
            )
        ]
        return entries, []
    if not isinstance(raw, list):
        return [], [finding("invalid-configuration", "'subscriptions' must be a list", "/subscriptions")]
    entries: list[SubscriptionEntry] = []
    found: list[Finding] = []
    for index, item in enumerate(raw):
        entry, problems = _read_entry(item, index)
        found.extend(problems)
        if entry is not None:
            entries.append(entry)
    found.extend(_duplicate_names(entries))
    return entries, found


def _read_entry(item: Any, index: int) -> tuple[SubscriptionEntry | None, list[Finding]]:
    pointer = json_pointer("subscriptions", index)
    if not isinstance(item, dict):
        return None, [
            finding(
                "invalid-configuration",
                f"a subscription must be a JSON object, not {js_json.type_name(item)}",
                pointer,
                index=index,
            )
        ]
    action = item.get("action")
    name = item.get("name", action)
    label = name if isinstance(name, str) else (action if isinstance(action, str) else f"#{index}")
    where = {"subscription": label, "action": action if isinstance(action, str) else None, "index": index}
    found = [
        finding(
            "invalid-configuration",
            f"unknown key {key!r}; known: {', '.join(_SUBSCRIPTION_KEYS)}",
            f"{pointer}{json_pointer(key)}",
            **where,
        )
        for key in item
        if key not in _SUBSCRIPTION_KEYS
    ]
    if "name" in item and not isinstance(name, str):
        found.append(finding("invalid-configuration", "'name' must be a string", f"{pointer}/name", **where))
    definition = None
    if not isinstance(action, str):
        found.append(
            finding(
                "invalid-configuration",
                "'action' is required and must be an action name",
                f"{pointer}/action" if "action" in item else pointer,
                **where,
            )
        )
    elif action not in ACTIONS:
        found.append(
            finding(
                "unknown-action",
                f"unknown action {action!r}; known actions: {', '.join(ACTIONS)}",
                f"{pointer}/action",
                **where,
            )
        )
    else:
        definition = ACTIONS[action]
    flags = {}
    for key in ("useDefaultMappings", "enabled"):
        flags[key] = item.get(key, True)
        if not isinstance(flags[key], bool):
            found.append(
                finding(
                    "invalid-configuration", f"'{key}' must be true or false", f"{pointer}/{key}", **where
                )
            )
            flags[key] = True
    enabled = flags["enabled"]
    subscribe, problem = _subscribe_text(item, definition, enabled, pointer, where)
    if problem is not None:
        found.append(problem)
    mapping = item.get("mapping", {})
    if not isinstance(mapping, dict):
        found.append(
            finding("invalid-configuration", "'mapping' must be a JSON object", f"{pointer}/mapping", **where)
        )
        mapping = {}
    entry = SubscriptionEntry(
        index=index,
        pointer=pointer,
        name=label,
        action=where["action"],
        definition=definition,
        subscribe=subscribe,
        mapping=mapping,
        use_default_mappings=flags["useDefaultMappings"],
        enabled=enabled,
        has_own_subscribe="subscribe" in item,
        has_own_mapping="mapping" in item,
    )
    return entry, found


def _subscribe_text(
    item: dict[str, Any], definition: ActionDefinition | None, enabled: bool, pointer: str, where: dict
) -> tuple[str | None, Finding | None]:
    if "subscribe" in item:
        subscribe = item["subscribe"]
        if not isinstance(subscribe, str):
            return None, finding(
                "invalid-configuration",
                "'subscribe' must be a subscription string",
                f"{pointer}/subscribe",
                **where,
            )
        if subscribe.strip():
            return subscribe, None
        place = f"{pointer}/subscribe"
    elif definition is None:
        return None, None
    elif definition.default_subscription:
        return definition.default_subscription, None
    else:
        place = pointer
    reason = (
        "'subscribe' is empty"
        if "subscribe" in item
        else f"{definition.name if definition else 'the action'} has no default subscription, none is given"
    )
    if enabled:
        return None, finding(
            "enabled-without-subscription",
            f"{reason}: the action is enabled but no event can trigger it; add 'subscribe'",
            place,
            **where,
        )
    return None, finding(
        "invalid-configuration",
        f"{reason}: the configuration loader rejects it even while disabled; add 'subscribe'",
        place,
        **where,
    )


def _duplicate_names(entries: list[SubscriptionEntry]) -> list[Finding]:
    counts = Counter(entry.name for entry in entries)
    seen: set[str] = set()
    found = []
    for entry in entries:
        if counts[entry.name] > 1 and entry.name in seen:
            found.append(
                finding(
                    "duplicate-name",
                    f"another subscription is already named {entry.name!r}: reports and 'diff' pair "
                    "subscriptions by name; give each a distinct 'name'",
                    entry.pointer,
                    **entry.where(),
                )
            )
        seen.add(entry.name)
    return found
