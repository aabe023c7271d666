"""How a request names a contact: ingest identity keys and REST primary keys.

An :class:`Identifier` is one way to find a contact: its email address, its
contact id (cID), a secondary-key attribute such as ``customerId``, or an id
the ingest service remembers for it (the source's user id and anonymous ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_cordial.models.errors import InvalidInput
from mock_cordial.models.values import normalize_email, scalar_text

__all__ = [
    "Identifier",
    "EMAIL_KEYS",
    "identifier_for",
    "identifiers_from_ingest",
    "parse_primary_key",
    "optional_text",
]

#: Names that address the email channel rather than an attribute.
EMAIL_KEYS = frozenset({"channels.email.address", "email"})

EMAIL = "email"
CONTACT_ID = "cid"
ATTRIBUTE = "attr"
ALIAS = "alias"

SEGMENT_ID = "segmentId"
ANONYMOUS_ID = "anonymousId"


@dataclass(frozen=True, slots=True)
class Identifier:
    """One key that may select a contact.

    ``kind`` is ``email``, ``cid``, ``attr`` (``name`` is the attribute) or
    ``alias`` (``name`` is ``segmentId`` or ``anonymousId``); ``value`` is the
    text it matches by and ``raw`` the value as sent (what an attribute stores).
    """

    kind: str
    name: str
    value: str
    raw: Any = None


def identifier_for(name: str, value: Any) -> Identifier | None:
    """The identifier ``name -> value`` as a user writes it (``customerId -> 42``).

    None when the pair cannot identify anyone: a value that is not a string or
    a number (objects, arrays, booleans, null), a blank value or a blank name.
    """
    if isinstance(value, bool):
        return None
    text = scalar_text(value)
    if text is None or not text.strip() or not name.strip():
        return None
    if name in EMAIL_KEYS:
        return Identifier(EMAIL, "", normalize_email(text), normalize_email(text))
    if name == "cID":
        return Identifier(CONTACT_ID, "", text, text)
    return Identifier(ATTRIBUTE, name, text, value)


def optional_text(body: dict, key: str) -> str | None:
    """A string (or number, as the source may send ids) field of an ingest body; absent or empty is None."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InvalidInput(f"{key} must be a string, got {_type(value)}")
    text = scalar_text(value)
    return text if text else None


def identifiers_from_ingest(body: dict) -> list[Identifier]:
    """Every identifier an ingest body carries, in the order they select a contact.

    ``userIdentities`` come first in the order given, then the source's user id
    stored in the ``segmentIdKey`` attribute, then the user id and anonymous id
    the mock remembers for contacts created by the ingest service.
    """
    found: list[Identifier] = []
    identities = body.get("userIdentities")
    if identities is not None:
        if not isinstance(identities, dict):
            raise InvalidInput(f"userIdentities must be an object, got {_type(identities)}")
        for name, value in identities.items():
            ident = identifier_for(name, value)
            if ident is not None:  # a value that cannot identify anyone is ignored
                found.append(ident)
    segment_id_key = optional_text(body, "segmentIdKey")
    segment_id = optional_text(body, "segmentId")
    anonymous_id = optional_text(body, "anonymousId")
    if segment_id_key is not None and segment_id is not None:
        ident = identifier_for(segment_id_key, segment_id)
        if ident is not None:
            found.append(ident)
    if segment_id is not None:
        found.append(Identifier(ALIAS, SEGMENT_ID, segment_id, segment_id))
    if anonymous_id is not None:
        found.append(Identifier(ALIAS, ANONYMOUS_ID, anonymous_id, anonymous_id))
    return found


def parse_primary_key(text: str) -> Identifier | None:
    """A REST contact key: ``email:a@b.c``, ``cID:5f..``, ``customerId:42``, a bare email or a bare cID.

    A key that cannot name any contact (blank, or nothing after the colon)
    gives None: such a contact does not exist.
    """
    if not text or not text.strip():
        return None
    if ":" in text:
        name, _, value = text.partition(":")
        name = name.strip().strip('"')
        value = value.strip().strip('"')
        if not value or not name:
            return None
        return identifier_for(name, value)
    return identifier_for("email" if "@" in text else "cID", text)


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
