"""The audience-membership read production does on every event, and where it throws.

After validation, production's runtime reads Engage audience membership from
``context.personas`` by destructuring the raw event.  Destructuring defaults
apply only to absent values, so an event whose ``context`` (or
``context.personas``) is ``null`` makes it throw a TypeError, and nothing is
sent.  Cordial ignores the membership itself; only the failure is visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.errors import RuntimeTypeError


def check_audience_membership(event: Mapping[str, Any]) -> None:
    """Raise the TypeError production raises for this event, if any."""
    if "context" not in event:
        return
    context = event["context"]
    if context is None:
        raise RuntimeTypeError("Cannot destructure property 'personas' of '{}' as it is null.")
    if isinstance(context, Mapping) and "personas" in context and context["personas"] is None:
        raise RuntimeTypeError("Cannot read properties of null (reading 'computation_class')")
