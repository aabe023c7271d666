"""A destination configuration: settings plus the user's subscriptions.

This is what a user sets up in Segment or Customer.io: for each action they
enable, a subscription (which events) and a mapping (which fields).  The file
format, shared by ``replay``, ``lint``, ``diff`` and ``demo``::

    {"settings": {"apiKey": "...", "endpoint": "...", "segmentIdKey": "..."},
     "subscriptions": [{"name"?: "...", "action": "upsertOrder",
                        "subscribe"?: "<subscription>",   # default: the action's default subscription
                        "mapping"?: {...}, "useDefaultMappings"?: true, "enabled"?: true}]}

Without ``subscriptions`` every action with a default subscription is enabled
with its defaults, which is what a new destination looks like.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from reference.actions import ACTIONS
from reference.destination import Destination
from reference.errors import CordialHarnessError, InvalidSettingsError
from reference.pipeline import CompiledAction, get_action
from reference.requests import PreparedRequest, action_request
from reference.settings import Settings
from reference.subscriptions import Subscription, parse_subscription


class InvalidConfigurationError(CordialHarnessError):
    """The configuration file is not of the documented shape; ``path`` names the place."""

    kind = "InvalidConfiguration"

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


_SUBSCRIPTION_KEYS = {"name", "action", "subscribe", "mapping", "useDefaultMappings", "enabled"}


@dataclass(frozen=True)
class SubscriptionConfig:
    """One enabled action: which events (``subscribe``) and how they map."""

    name: str
    action: str
    subscribe: str
    mapping: Mapping[str, Any] = field(default_factory=dict)
    use_default_mappings: bool = True
    enabled: bool = True

    @classmethod
    def from_json(cls, data: Any, where: str) -> SubscriptionConfig:
        if not isinstance(data, dict):
            raise InvalidConfigurationError("a subscription must be a JSON object", where)
        unknown = sorted(set(data) - _SUBSCRIPTION_KEYS)
        if unknown:
            raise InvalidConfigurationError(f"unknown key(s): {', '.join(unknown)}", where)
        action = data.get("action")
        if not isinstance(action, str):
            raise InvalidConfigurationError("'action' is required and must be an action name", where)
        try:
            definition = get_action(action)
        except CordialHarnessError as exc:
            raise InvalidConfigurationError(exc.message, f"{where}/action") from None
        subscribe = data.get("subscribe", definition.default_subscription)
        if not isinstance(subscribe, str) or not subscribe.strip():
            raise InvalidConfigurationError(
                f"'subscribe' is required: {action} has no default subscription", f"{where}/subscribe"
            )
        mapping = data.get("mapping", {})
        if not isinstance(mapping, dict):
            raise InvalidConfigurationError("'mapping' must be a JSON object", f"{where}/mapping")
        for key in ("useDefaultMappings", "enabled"):
            if key in data and not isinstance(data[key], bool):
                raise InvalidConfigurationError(f"'{key}' must be true or false", f"{where}/{key}")
        name = data.get("name", action)
        if not isinstance(name, str):
            raise InvalidConfigurationError("'name' must be a string", f"{where}/name")
        return cls(
            name=name,
            action=action,
            subscribe=subscribe,
            mapping=mapping,
            use_default_mappings=data.get("useDefaultMappings", True),
            enabled=data.get("enabled", True),
        )


@dataclass(frozen=True)
class Configuration:
    """Settings and subscriptions, as read from a configuration file."""

    settings: Settings
    subscriptions: tuple[SubscriptionConfig, ...]

    @classmethod
    def from_json(cls, data: Any, *, settings_override: Mapping[str, Any] | None = None) -> Configuration:
        if not isinstance(data, dict):
            raise InvalidConfigurationError("a configuration must be a JSON object with 'settings'")
        unknown = sorted(set(data) - {"settings", "subscriptions"})
        if unknown:
            raise InvalidConfigurationError(f"unknown key(s): {', '.join(unknown)}")
        raw_settings = data.get("settings", {})
        if not isinstance(raw_settings, dict):
            raise InvalidConfigurationError("'settings' must be a JSON object", "/settings")
        merged = {**raw_settings, **{k: v for k, v in (settings_override or {}).items() if v is not None}}
        try:
            settings = Settings.from_json(merged)
        except InvalidSettingsError as exc:
            raise InvalidConfigurationError(
                exc.message, f"/settings/{exc.setting or ''}".rstrip("/")
            ) from None
        raw_subscriptions = data.get("subscriptions")
        if raw_subscriptions is None:
            subscriptions = tuple(
                SubscriptionConfig(name=name, action=name, subscribe=action.default_subscription)
                for name, action in ACTIONS.items()
                if action.default_subscription
            )
        elif isinstance(raw_subscriptions, list):
            subscriptions = tuple(
                SubscriptionConfig.from_json(item, f"/subscriptions/{i}")
                for i, item in enumerate(raw_subscriptions)
            )
        else:
            raise InvalidConfigurationError("'subscriptions' must be a list", "/subscriptions")
        return cls(settings=settings, subscriptions=subscriptions)


@dataclass(frozen=True)
class Outcome:
    """What one subscription does with one event: a request, or the error that stops it."""

    subscription: SubscriptionConfig
    request: PreparedRequest | None = None
    error: CordialHarnessError | None = None

    @property
    def action(self) -> str:
        return self.subscription.action


#: An enabled subscription with its parsed subscription and compiled action, or the error of each.
Entry = tuple[SubscriptionConfig, Subscription | CordialHarnessError, CompiledAction | CordialHarnessError]


class CompiledConfiguration:
    """A configuration compiled once: parsed subscriptions and compiled mappings.

    A subscription that cannot parse is reported on every event; a mapping
    that cannot compile on the events its subscription matches.  One broken
    subscription never stops the others.
    """

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self.destination = Destination(configuration.settings)
        self._entries: tuple[Entry, ...] = tuple(
            (sub, self._parse(sub), self._compile(sub)) for sub in configuration.subscriptions if sub.enabled
        )

    @staticmethod
    def _parse(sub: SubscriptionConfig) -> Subscription | CordialHarnessError:
        try:
            return parse_subscription(sub.subscribe)
        except CordialHarnessError as exc:
            return exc

    def _compile(self, sub: SubscriptionConfig) -> CompiledAction | CordialHarnessError:
        try:
            return self.destination.compile(
                sub.action, sub.mapping, use_default_mappings=sub.use_default_mappings
            )
        except CordialHarnessError as exc:
            return exc

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Each enabled subscription with its parsed subscription and compiled action (or their errors)."""
        return self._entries

    def outcomes(self, event: Mapping[str, Any]) -> Iterator[Outcome]:
        """Every enabled subscription that matches the event, in configuration order."""
        settings = self.configuration.settings
        for sub, subscription, compiled in self._entries:
            if isinstance(subscription, CordialHarnessError):
                yield Outcome(sub, error=subscription)
                continue
            try:
                if not subscription.matches(event):
                    continue
                if isinstance(compiled, CordialHarnessError):
                    raise compiled
                body = compiled.body(event, settings.body_keys)
            except CordialHarnessError as exc:  # production fails this action's event, not the others
                yield Outcome(sub, error=exc)
            else:
                yield Outcome(sub, request=action_request(settings, compiled.name, body))
