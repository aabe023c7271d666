"""Reading an events file lazily, one line at a time, with its number and byte offsets.

A line is a Segment event (``{"type": "track", ...}``) or a wrapper
``{"id": ..., "event": {...}}`` as in ``examples/journey.jsonl``; a track
event's own ``event`` is a string, so the two cannot be confused.  Offsets let
a resumed run seek straight to where the last one stopped instead of
re-reading the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from reference import js_json

_WRAPPER_KEYS = frozenset({"id", "event"})


@dataclass(slots=True)
class RawLine:
    """One physical line of the file: its 1-based number, the offset just after it, its bytes."""

    number: int
    end: int
    data: bytes


@dataclass(slots=True)
class ParsedLine:
    """An event read from a line, or the reason the line holds no usable event."""

    event: dict[str, Any] | None = None
    line_id: Any = None
    error: str | None = None


def iter_lines(stream: BinaryIO, *, start_offset: int = 0, start_number: int = 1) -> Iterator[RawLine]:
    """Every line from ``start_offset`` on (the stream is positioned there first), blank ones included."""
    stream.seek(start_offset)
    offset = start_offset
    number = start_number
    for data in stream:
        offset += len(data)
        yield RawLine(number, offset, data)
        number += 1


def is_blank(data: bytes) -> bool:
    """Blank lines carry nothing and are skipped without a trace."""
    return not data.strip()


def parse_line(data: bytes, number: int) -> ParsedLine:
    """The event of one line, with an error naming line and column when it has none."""
    try:
        value = js_json.loads(data.rstrip(b"\r\n"))  # so a column past the end is on this line
    except json.JSONDecodeError as exc:
        return ParsedLine(error=f"line {number}, column {exc.colno}: invalid JSON: {exc.msg}")
    except UnicodeDecodeError as exc:
        return ParsedLine(error=f"line {number}, byte {exc.start + 1}: not UTF-8 text: {exc.reason}")
    except (ValueError, RecursionError) as exc:
        return ParsedLine(error=f"line {number}: invalid JSON: {exc}")
    if not isinstance(value, dict):
        return ParsedLine(
            error=f"line {number}: expected a JSON object (an event or {{\"id\", \"event\"}}), "
            f"got {js_json.type_name(value)}"
        )
    inner = value.get("event")
    if not isinstance(inner, dict):
        return ParsedLine(event=value)
    unknown = sorted(set(value) - _WRAPPER_KEYS)
    if unknown:
        names = ", ".join(map(repr, unknown))
        return ParsedLine(
            line_id=value.get("id"),
            error=f"line {number}: a wrapped event has only 'id' and 'event', not {names}"
            " (per-line actions and mappings belong in --mapping-file)",
        )
    return ParsedLine(event=inner, line_id=value.get("id"))
