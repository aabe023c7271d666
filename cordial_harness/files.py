"""Reading the user's files with errors that say which file, line and column."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

import click

from reference import js_json
from reference.configuration import Configuration, InvalidConfigurationError


class UsageFault(click.UsageError):
    """A bad file or argument: exit status 2 with a one-line reason."""


def open_text(path: str | Path) -> TextIO:
    """A text file to stream (stdin for ``-``); a missing or unreadable file is a usage error."""
    if str(path) == "-":
        return nullcontext(sys.stdin)  # type: ignore[return-value]
    try:
        return Path(path).open(encoding="utf-8")
    except FileNotFoundError:
        raise UsageFault(f"{path}: file not found") from None
    except OSError as exc:
        raise UsageFault(f"{path}: cannot read: {exc}") from None


def read_json_file(path: str | Path) -> Any:
    """Parse a JSON file; a missing file or bad JSON is a usage error naming line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageFault(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageFault(f"{path}: cannot read: {exc}") from None
    try:
        return js_json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageFault(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise UsageFault(f"{path}: invalid JSON: {exc}") from None


def read_configuration(path: str | Path, **settings_override: Any) -> Configuration:
    """Load a destination configuration file (see ``reference.configuration``)."""
    data = read_json_file(path)
    try:
        return Configuration.from_json(data, settings_override=settings_override)
    except InvalidConfigurationError as exc:
        raise UsageFault(f"{path}: {exc.message}") from None
