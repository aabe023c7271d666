"""Reading JSON lines so that one bad line never loses the others."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reference import js_json


@dataclass(frozen=True)
class Line:
    """One input line: its number, the parsed value, or why it could not be parsed."""

    number: int
    value: Any = None
    error: str | None = None


def read_lines(stream: Iterable[str]) -> Iterator[Line]:
    """Parse each non-blank line with JSON.parse semantics; errors name line and column."""
    for number, text in enumerate(stream, start=1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        try:
            yield Line(number, js_json.loads(text))
        except json.JSONDecodeError as exc:
            yield Line(number, error=f"line {number}, column {exc.colno}: invalid JSON: {exc.msg}")
        except (ValueError, RecursionError) as exc:
            yield Line(number, error=f"line {number}: invalid JSON: {exc}")


def write_line(out, value: Any) -> None:
    """One compact JSON line, numbers written as production's JavaScript writes them."""
    out.write(js_json.dumps(value))
    out.write("\n")
