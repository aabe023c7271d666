"""Tokens of the subscription language and the syntax error that points into the source."""

from __future__ import annotations

from typing import NamedTuple

from reference.errors import SubscriptionSyntaxError
from reference.js_values import code_point_offset

__all__ = [
    "Token",
    "IDENT",
    "DOT",
    "OPERATOR",
    "CONDITIONAL",
    "STRING",
    "NUMBER",
    "NULL",
    "BRACK_LEFT",
    "BRACK_RIGHT",
    "PAREN_LEFT",
    "PAREN_RIGHT",
    "COMMA",
    "EOS",
    "syntax_error",
]

# Token kinds, spelled as production spells them.
IDENT = "ident"
DOT = "dot"
OPERATOR = "operator"
CONDITIONAL = "conditional"
STRING = "string"
NUMBER = "number"
NULL = "null"
BRACK_LEFT = "brackleft"
BRACK_RIGHT = "brackright"
PAREN_LEFT = "parenleft"
PAREN_RIGHT = "parenright"
COMMA = "comma"
EOS = "eos"


class Token(NamedTuple):
    """One lexed token.

    ``value`` is the token's text in UTF-16 code units, as production holds it:
    strings keep their quotes, numbers their digits; tokens without a text of
    their own carry a fixed one (``.`` ``(`` ``null`` ``eos``...), which
    production reads as a value when such a token lands in a value position.
    ``start`` is the code-unit offset where the token begins.
    """

    kind: str
    value: str
    start: int


_EXCERPT = 24


def syntax_error(source: str, units: str, unit_offset: int, reason: str) -> SubscriptionSyntaxError:
    """A :class:`SubscriptionSyntaxError` naming the problem and where it is in ``source``."""
    position = code_point_offset(units, min(unit_offset, len(units)))
    rest = source[position:]
    near = (
        "the end of the subscription"
        if not rest
        else repr(rest if len(rest) <= _EXCERPT else rest[:_EXCERPT] + "…")
    )
    message = f"Invalid subscription: {reason} at position {position} (at {near})"
    return SubscriptionSyntaxError(message, subscription=source, position=position)
