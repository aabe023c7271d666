"""Subscriptions in FQL, the filter language action subscriptions are written in.

Valid subscriptions use every form production's parser accepts: comparisons
on ``type``, ``event``, ``name``, ``userId``, ``properties.*``, ``traits.*``
and ``context.*`` with ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` against
strings, numbers, ``true``, ``false`` and ``null``; ``contains()`` and
``match()`` (negated with ``!``); ``and``/``or`` and parentheses.  Values
come from the same vocabulary as the event strategies, so a fair share of
generated subscriptions match generated events.

Malformed subscriptions are ones production's parser rejects: empty text,
characters FQL has no token for, unterminated strings, unbalanced
parentheses (including nested ones: the parser closes a group at the first
``)``), a lone ``!``, numbers with two decimal points, identifiers
glued to a quote, a condition cut off before its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from . import values as v
from .action_fields import ECOMMERCE_EVENTS, EVENT_TYPES

Draw = Callable[[st.SearchStrategy[Any]], Any]

OPERATORS = ("=", "!=", "<", "<=", ">", ">=")

_PROPERTY_NAMES = (
    "product_id",
    "sku",
    "price",
    "quantity",
    "total",
    "currency",
    "category",
    "name",
    "order_id",
    "discount",
    "plan",
    "revenue",
    "count",
    "is_trial",
    "brand",
    "url",
    "missing_key",
)
_TRAIT_NAMES = (
    "email",
    "name",
    "plan",
    "age",
    "firstName",
    "address.city",
    "subscribed",
    "employees",
    "industry",
)
_CONTEXT_NAMES = ("library.name", "locale", "page.url", "page.path", "traits.email", "campaign.source", "ip")

_STRING_VALUES = (
    *EVENT_TYPES,
    *ECOMMERCE_EVENTS,
    *v.TRACK_EVENT_NAMES,
    *v.PAGE_NAMES,
    *v.CURRENCIES,
    *v.PRODUCT_CATEGORIES,
    "free",
    "pro",
    "enterprise",
    "analytics.js",
    "en-US",
    "/pricing",
    "",
    "Ünïcode 🎉",
    "a'b",
    "1",
)
_NUMBER_VALUES = ("0", "1", "2", "5", "10", "19.99", "100", "-3", "+7", "2.5", "1000000", "0.001")


def _quote(text: str, quote: str = '"') -> str:
    return f"{quote}{text}{quote}"


@st.composite
def _field(draw: Draw, allow_type: bool = True) -> str:
    top = ("event", "name", "userId", "properties", "traits", "context")
    kind = draw(
        st.sampled_from((("type",) if allow_type else ()) + top + ("properties", "properties", "traits"))
    )
    if kind == "properties":
        name = draw(st.sampled_from(_PROPERTY_NAMES))
        if draw(st.integers(0, 19)) == 0:
            return "properties.first\\ name"  # a backslash escapes a space inside an identifier
        return f"properties.{name}"
    if kind == "traits":
        return f"traits.{draw(st.sampled_from(_TRAIT_NAMES))}"
    if kind == "context":
        return f"context.{draw(st.sampled_from(_CONTEXT_NAMES))}"
    return kind


@st.composite
def _string_literal(draw: Draw) -> str:
    text = draw(
        st.one_of(st.sampled_from(_STRING_VALUES), st.text(max_size=8).filter(lambda t: '"' not in t))
    )
    if "'" not in text and draw(st.integers(0, 19)) == 0:
        return _quote(text, "'")  # accepted, but production keeps the single quotes as part of the value
    return _quote(text)


@st.composite
def _value(draw: Draw, field: str) -> str:
    if field == "type":
        kind = draw(st.sampled_from(("type", "type", "type", "string", "null")))
    elif field == "event":
        kind = draw(st.sampled_from(("event", "event", "string", "number", "null")))
    else:
        kind = draw(st.sampled_from(("string", "string", "number", "number", "bool", "null")))
    if kind == "type":
        return _quote(draw(st.sampled_from(EVENT_TYPES)))
    if kind == "event":
        return _quote(draw(st.sampled_from(ECOMMERCE_EVENTS + v.TRACK_EVENT_NAMES)))
    if kind == "number":
        return draw(st.sampled_from(_NUMBER_VALUES))
    if kind == "bool":
        return draw(st.sampled_from(("true", "false")))
    if kind == "null":
        return "null"
    return draw(_string_literal())


@st.composite
def _comparison(draw: Draw) -> str:
    field = draw(_field())
    if draw(st.integers(0, 4)) == 0:
        return f"{field} {draw(st.sampled_from(('!=', '!=', '=')))} null"  # the usual existence test
    if field in ("type", "event"):
        operator = draw(st.sampled_from(("=", "=", "=", "!=", *OPERATORS)))
    else:
        operator = draw(st.sampled_from(OPERATORS))
    value = draw(_value(field))
    space = draw(st.sampled_from((" ", " ", " ", "  ", "\t", "\n")))
    if operator in ("=", "!=") and draw(st.integers(0, 5)) == 0:
        return f"{field}{operator}{space}{value}"  # '=' and '!=' may follow an identifier directly
    return f"{field}{space}{operator}{space}{value}"


@st.composite
def _function(draw: Draw) -> str:
    name = draw(st.sampled_from(("contains", "match")))
    field = draw(_field(allow_type=False))
    text = draw(st.one_of(st.sampled_from(_STRING_VALUES), st.text(min_size=1, max_size=6))).replace('"', "")
    if name == "match":
        text = draw(st.sampled_from((f"{text}*", f"*{text}")))
    negate = "!" if draw(st.integers(0, 3)) == 0 else ""
    return f'{negate}{name}({field}, "{text}")'


def _condition(functions: bool = True) -> st.SearchStrategy[str]:
    if not functions:
        return _comparison()
    return st.one_of(_comparison(), _comparison(), _comparison(), _function())


@st.composite
def _expression(draw: Draw, depth: int, functions: bool = True) -> str:
    """Conditions joined by and/or; ``depth`` 1 allows one level of parentheses (production: no more)."""
    terms = draw(st.integers(1, 3))
    parts: list[str] = []
    conjunction = draw(st.sampled_from(("and", "or")))
    for index in range(terms):
        if index:
            # Mixing 'and' and 'or' in one group parses; production applies the last one to the whole group.
            mixed = draw(st.integers(0, 7)) == 0
            parts.append(draw(st.sampled_from(("and", "or"))) if mixed else conjunction)
        if depth > 0 and draw(st.integers(0, 3)) == 0:
            inner = draw(_expression(depth - 1, functions))
            padding = draw(st.sampled_from(("", " ")))
            parts.append(f"({padding}{inner}{padding})")
        else:
            parts.append(draw(_condition(functions)))
    return " ".join(parts)


#: Subscriptions that look plausible but that production's parser rejects.
_MALFORMED_TEMPLATES: tuple[Callable[[str], str], ...] = (
    lambda s: f"({s}",  # unclosed parenthesis
    lambda s: f"(({s}))",  # nested parentheses: the inner group never sees its ')'
    lambda s: f'{s} and (type = "track"',
    lambda s: f"{s} and event",  # cut off before the operator
    lambda s: f"{s} or userId",
    lambda s: f"{s} and properties.price",
    lambda s: 'event = "Order Completed',  # unterminated string
    lambda s: f"{s} and name = 'Home",
    lambda s: f"{s} # comment",  # characters FQL has no token for
    lambda s: f'{s} ; type = "page"',
    lambda s: f'{s} && type = "page"',
    lambda s: f'{s} || type = "page"',
    lambda s: f"{s} and properties.price ~ 10",
    lambda s: 'type == "track" @ x',
    lambda s: f'{s} and type ! "track"',  # '!' must be followed by '=' or a function
    lambda s: f"{s} and properties.price = 1.2.3",  # two decimal points
    lambda s: f"{s} and properties.price = 10. ",  # nothing after the decimal point
    lambda s: 'type"track"',  # identifier glued to a quote
    lambda s: f"{s} and properties.price>10",
    lambda s: f"{s} and userId\\",  # escape at the end
    lambda s: "contains(event",  # function cut off
    lambda s: "",
    lambda s: "   ",
    lambda s: f"{s} and {{type}}",
)


@st.composite
def _malformed(draw: Draw) -> str:
    # Without function calls: their closing parenthesis would close an unbalanced group.
    valid = draw(_expression(0, functions=False))
    template = draw(st.sampled_from(_MALFORMED_TEMPLATES))
    return template(valid)


def subscriptions(valid: bool = True) -> st.SearchStrategy[str]:
    """FQL subscription strings: accepted by production's parser, or (``valid=False``) rejected by it."""
    if not valid:
        return _malformed()
    return _expression(1)


#: Each action's default subscription, in production's definition order (removeContactFromList has none).
DEFAULT_SUBSCRIPTIONS: dict[str, str] = {
    "createContactactivity": 'type = "track" or type = "page"',
    "upsertContact": 'type = "identify"',
    "addContactToList": 'type = "group"',
    "addProductToCart": 'type = "track" and event = "Product Added"',
    "removeProductFromCart": 'type = "track" and event = "Product Removed"',
    "upsertOrder": 'event = "Order Completed" or event = "Order Updated" or event = "Order Refunded" '
    'or event = "Order Cancelled"',
    "mergeContacts": 'type = "alias"',
}


def default_subscriptions() -> st.SearchStrategy[str]:
    """The default subscriptions of the Cordial actions (the ones routing uses)."""
    return st.sampled_from(tuple(DEFAULT_SUBSCRIPTIONS.values()))
