"""What the linter reports: one finding per problem, each pointing into the configuration file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

Level = Literal["error", "warning"]

#: Every rule the linter applies, with its default level and what it catches.
RULES: dict[str, tuple[Level, str]] = {
    "invalid-configuration": ("error", "the file is not of the configuration format"),
    "invalid-settings": ("error", "a setting production would refuse"),
    "missing-api-key": ("warning", "no apiKey; commands then need --api-key or CORDIAL_API_KEY"),
    "endpoint-trailing-slash": ("error", "the endpoint ends with '/', so production calls //api/..."),
    "unknown-action": ("error", "the action is not one of the destination's actions"),
    "enabled-without-subscription": ("error", "an enabled action with no subscription to trigger it"),
    "subscription-syntax": ("error", "the subscription cannot be parsed"),
    "invalid-mapping": ("error", "production rejects the mapping"),
    "required-unfillable": ("error", "a required field the mapping can never fill"),
    "invalid-literal": ("error", "a literal value validation rejects whatever the event"),
    "unknown-field": ("warning", "a mapped key that is not a field of the action: validation drops it"),
    "dropped-key": ("warning", "a key inside an object with declared properties: validation drops it"),
    "duplicate-name": ("warning", "two subscriptions share a name, so reports cannot tell them apart"),
    "subscription-never-matches": ("warning", "the subscription matches none of the sample events"),
    "subscription-evaluation-error": ("warning", "production fails while matching a sample event"),
    "required-missing-on-samples": ("warning", "a required field missing on every matching sample event"),
    "invalid-sample-event": ("warning", "a line of the sample events file is not an event"),
}


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, which rule, where in the file and what to do about it.

    ``pointer`` is an RFC 6901 JSON pointer into the configuration file (``""``
    is the whole file); ``subscription`` and ``action`` name the subscription
    concerned, or are None for settings and file-wide problems.
    """

    level: Level
    rule: str
    message: str
    pointer: str = ""
    subscription: str | None = None
    action: str | None = None
    index: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "rule": self.rule,
            "subscription": self.subscription,
            "action": self.action,
            "pointer": self.pointer,
            "message": self.message,
        }


def finding(rule: str, message: str, pointer: str = "", **where: Any) -> Finding:
    """A finding at the rule's default level."""
    return Finding(RULES[rule][0], rule, message, pointer, **where)


def as_warning(item: Finding, reason: str) -> Finding:
    """The same finding demoted to a warning, saying why."""
    if item.level == "warning":
        return item
    return replace(item, level="warning", message=f"{item.message} ({reason})")


def json_pointer(*segments: str | int) -> str:
    """An RFC 6901 pointer from raw segments (``~`` and ``/`` escaped)."""
    return "".join("/" + str(segment).replace("~", "~0").replace("/", "~1") for segment in segments)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """File-wide findings first, then by subscription in file order; errors before warnings."""

    def key(item: Finding) -> tuple:
        return (-1 if item.index is None else item.index, item.level != "error", item.pointer)

    return sorted(findings, key=key)
