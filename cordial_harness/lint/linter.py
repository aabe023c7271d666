"""The linter: every rule over one configuration, optionally with sample events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cordial_harness.lint.findings import Finding, as_warning, finding, ordered
from cordial_harness.lint.mapping_rules import check_mapping
from cordial_harness.lint.sample_rules import SampleCheck
from cordial_harness.lint.structure import (
    SubscriptionEntry,
    check_settings,
    check_top_level,
    read_subscriptions,
)
from reference.configuration import Configuration, InvalidConfigurationError
from reference.errors import SubscriptionSyntaxError
from reference.subscriptions import parse_subscription

#: Findings that stay errors on a disabled subscription: the loader rejects the file over them.
_LOADER_RULES = {"invalid-configuration", "unknown-action", "enabled-without-subscription"}


@dataclass(frozen=True)
class LintReport:
    """The findings, most important first, and how many sample events were run."""

    findings: list[Finding]
    sample_events: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for item in self.findings if item.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.findings if item.level == "warning")

    def with_findings(self, extra: Iterable[Finding]) -> LintReport:
        """The report with more findings (e.g. unreadable sample lines), kept in order."""
        return LintReport(ordered([*self.findings, *extra]), self.sample_events, self.notes)

    def failed(self, *, strict_warnings: bool = False) -> bool:
        return self.errors > 0 or (strict_warnings and self.warnings > 0)


def lint_configuration(
    data: Any, samples: Iterable[tuple[str, Mapping[str, Any]]] | None = None, sample_source: str = "samples"
) -> LintReport:
    """Lint a parsed configuration file; ``samples`` (label, event) enable the event-based rules."""
    found = check_top_level(data)
    if not isinstance(data, dict):
        return LintReport(found)
    found.extend(check_settings(data))
    entries, problems = read_subscriptions(data)
    found.extend(problems)
    if not any(item.level == "error" for item in found):
        found.extend(_loader_verdict(data))
    check = SampleCheck(sample_source) if samples is not None else None
    for entry in entries:
        own = _subscription_syntax(entry)
        report = check_mapping(entry)
        own.extend(report.findings)
        if not entry.enabled:
            own = [
                item if item.rule in _LOADER_RULES else as_warning(item, "the subscription is disabled")
                for item in own
            ]
        found.extend(own)
        if check is not None and entry.enabled and report.valid:
            check.watch(entry, report.unfillable)
    if check is None:
        return LintReport(ordered(found))
    for label, event in samples:
        check.add(label, event)
    found.extend(check.findings())
    return LintReport(ordered(found), sample_events=check.events)


def _subscription_syntax(entry: SubscriptionEntry) -> list[Finding]:
    if entry.subscribe is None:
        return []
    try:
        parse_subscription(entry.subscribe)
    except SubscriptionSyntaxError as exc:
        return [finding("subscription-syntax", exc.message, entry.subscribe_pointer, **entry.where())]
    return []


def _loader_verdict(data: dict[str, Any]) -> list[Finding]:
    """What the configuration loader itself says, so lint never passes a file the commands refuse."""
    settings = data.get("settings")
    has_key = isinstance(settings, dict) and "apiKey" in settings
    override = None if has_key else {"apiKey": "lint"}  # a missing key is its own finding
    try:
        Configuration.from_json(data, settings_override=override)
    except InvalidConfigurationError as exc:
        return [finding("invalid-configuration", exc.message, exc.path)]
    return []
