"""The events-file line format shared by ``lint --events`` and ``diff``.

A line is either ``{"id"?: ..., "event": {...}}`` (the format of
``examples/journey.jsonl`` and of ``map``'s input) or a bare event object.
A Segment event's own ``event`` key is a string, so an object under
``event`` unambiguously marks the wrapped form.
"""

from __future__ import annotations

from typing import Any

from reference import js_json


class NotAnEvent(ValueError):
    """The line is valid JSON but holds no event object."""


def event_from_line(value: Any, number: int) -> tuple[str, dict[str, Any]]:
    """The line's label (its ``id``, else ``line N``) and its event; raises NotAnEvent."""
    if not isinstance(value, dict):
        raise NotAnEvent(f"line {number}: expected an event object, got {js_json.type_name(value)}")
    if isinstance(value.get("event"), dict):
        line_id = value.get("id")
        label = (
            f"line {number}"
            if line_id is None
            else (line_id if isinstance(line_id, str) else js_json.dumps(line_id))
        )
        return label, value["event"]
    if "event" in value and not isinstance(value["event"], str):
        raise NotAnEvent(
            f"line {number}: 'event' must be an event object (or, in a bare event, the event name)"
        )
    return f"line {number}", value
