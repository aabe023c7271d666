"""``cordial-harness lint``'s rules: what is wrong with a destination configuration before it ships.

>>> report = lint_configuration({"settings": {"apiKey": "k", "endpoint": "https://x.example/"}})
>>> [(item.level, item.rule, item.pointer) for item in report.findings]
[('error', 'endpoint-trailing-slash', '/settings/endpoint'), ('warning', 'dropped-key', '')]

Pure logic on parsed JSON: reading files is the command's business.
"""

from cordial_harness.lint.events import NotAnEvent, event_from_line
from cordial_harness.lint.findings import RULES, Finding, Level, json_pointer
from cordial_harness.lint.linter import LintReport, lint_configuration

__all__ = [
    "RULES",
    "Finding",
    "Level",
    "LintReport",
    "NotAnEvent",
    "event_from_line",
    "json_pointer",
    "lint_configuration",
]
