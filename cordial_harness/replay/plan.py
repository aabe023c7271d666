"""A configuration compiled once for delivery: each enabled subscription, ready for many events.

Subscriptions and mappings are parsed and compiled up front, so a broken one
stops the command before anything is sent instead of failing every event.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cordial_harness.replay.keys import target_names
from reference.configuration import CompiledConfiguration, Configuration, Entry
from reference.errors import CordialHarnessError
from reference.pipeline import CompiledAction
from reference.requests import PreparedRequest, action_request
from reference.settings import Settings
from reference.subscriptions import Subscription


class PlanError(CordialHarnessError):
    """A subscription or mapping of the configuration cannot be compiled."""

    kind = "InvalidConfiguration"


class UnexpectedError(CordialHarnessError):
    """The reference failed on an event in a way it does not report on purpose (a defect to report)."""

    kind = "UnexpectedError"


@dataclass(frozen=True, eq=False)
class Target:
    """One enabled subscription: which events it takes and how it builds their requests."""

    index: int
    name: str
    action: str
    key_name: str
    subscription: Subscription
    compiled: CompiledAction


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one target does with one event: a request to send, or the error that rejects the event."""

    target: Target
    request: PreparedRequest | None = None
    error: CordialHarnessError | None = None


class DeliveryPlan:
    """Settings plus compiled targets, in configuration order."""

    def __init__(self, configuration: Configuration) -> None:
        self.settings: Settings = configuration.settings
        entries = CompiledConfiguration(configuration).entries
        keys = target_names([(sub.name, sub.action) for sub, _, _ in entries])
        self.targets: tuple[Target, ...] = tuple(
            self._target(index, entry, key)
            for index, (entry, key) in enumerate(zip(entries, keys, strict=True))
        )
        self._body_keys = self.settings.body_keys

    @staticmethod
    def _target(
        index: int,
        entry: Entry,
        key: str,
    ) -> Target:
        """A target, or the PlanError that stops the run before anything is sent."""
        sub, subscription, compiled = entry
        for problem in (subscription, compiled):
            if isinstance(problem, CordialHarnessError):
                raise PlanError(f"subscription {sub.name!r} ({sub.action}): {problem.message}")
        assert isinstance(subscription, Subscription) and isinstance(compiled, CompiledAction)
        return Target(index, sub.name, sub.action, key, subscription, compiled)

    def outcomes(self, event: Mapping[str, Any]) -> Iterator[Outcome]:
        """Every target whose subscription matches the event, with its request or its rejection."""
        for target in self.targets:
            try:
                if not target.subscription.matches(event):
                    continue
                body = target.compiled.body(event, self._body_keys)
            except CordialHarnessError as exc:
                yield Outcome(target, error=exc)
                continue
            except Exception as exc:  # one odd event must not stop a replay of millions
                problem = UnexpectedError(f"the reference failed: {type(exc).__name__}: {exc}")
                yield Outcome(target, error=problem)
                continue
            yield Outcome(target, request=action_request(self.settings, target.compiled.name, body))
