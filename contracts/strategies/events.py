"""Segment-spec events: realistic by default, hostile on request.

A realistic event follows the Segment spec for its type (common fields,
``context``, type-specific keys) and, for e-commerce tracks, the e-commerce
spec's product and order properties.  A hostile event starts from a
realistic one and is damaged a few times: required keys removed, values
nulled or emptied, numbers turned into strings, odd timestamps, tricky
text and numbers, deep nesting, odd keys, containers of the wrong type.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import strategies as st

from . import values as v
from .action_fields import ECOMMERCE_EVENTS, EVENT_TYPES, ORDER_EVENTS, PRODUCT_EVENTS

Event = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

#: Keys each event type must carry under the Segment spec (besides a userId or an anonymousId).
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "track": ("type", "event"),
    "page": ("type",),
    "identify": ("type",),
    "group": ("type", "groupId"),
    "alias": ("type", "previousId", "userId"),
}

#: Where the destination's default mappings read from: hostile damage lands here most of the time.
MAPPED_PATHS: tuple[tuple[str, ...], ...] = (
    ("userId",),
    ("anonymousId",),
    ("timestamp",),
    ("event",),
    ("type",),
    ("groupId",),
    ("previousId",),
    ("traits",),
    ("traits", "name"),
    ("traits", "email"),
    ("properties",),
    ("properties", "product_id"),
    ("properties", "sku"),
    ("properties", "quantity"),
    ("properties", "category"),
    ("properties", "name"),
    ("properties", "price"),
    ("properties", "url"),
    ("properties", "image_url"),
    ("properties", "brand"),
    ("properties", "order_id"),
    ("properties", "total"),
    ("properties", "discount"),
    ("properties", "revenue"),
    ("properties", "currency"),
    ("properties", "products"),
    ("properties", "products", 0),
    ("properties", "products", 0, "product_id"),
    ("properties", "products", 0, "sku"),
    ("properties", "products", 0, "name"),
    ("properties", "products", 0, "price"),
    ("properties", "products", 0, "quantity"),
    ("properties", "products", 0, "brand"),
    ("context",),
)


# --------------------------------------------------------------------------- realistic parts


@st.composite
def _context(draw: Draw, page: dict[str, Any] | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "library": draw(
            st.sampled_from(
                (
                    {"name": "analytics.js", "version": "next-1.70.0"},
                    {"name": "analytics-python", "version": "2.3.2"},
                    {"name": "analytics-ios", "version": "4.1.8"},
                )
            )
        ),
    }
    if draw(st.booleans()):
        context["ip"] = draw(st.sampled_from(("203.0.113.7", "198.51.100.23", "2001:db8::1")))
    if draw(st.booleans()):
        context["locale"] = draw(st.sampled_from(("en-US", "fr-FR", "ja-JP", "pt-BR")))
    if draw(st.booleans()):
        context["userAgent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
    if page is not None or draw(st.booleans()):
        context["page"] = page if page is not None else draw(_page_properties())
    if draw(st.integers(0, 3)) == 0:
        context["traits"] = {"email": draw(v.emails())}
    if draw(st.integers(0, 4)) == 0:
        context["campaign"] = {"name": "spring_sale", "source": "newsletter", "medium": "email"}
    return context


@st.composite
def _page_properties(draw: Draw) -> dict[str, Any]:
    path = draw(st.sampled_from(("/", "/pricing", "/checkout", "/products/monopoly", "/search")))
    search = draw(st.sampled_from(("", "?q=board+games", "?utm_source=newsletter")))
    return {
        "path": path,
        "referrer": draw(st.sampled_from(("", "https://www.google.com/", "https://news.example.org/a"))),
        "search": search,
        "title": draw(st.sampled_from(v.PAGE_NAMES)),
        "url": f"https://www.example.com{path}{search}",
    }


@st.composite
def _identity(draw: Draw, require_user_id: bool = False) -> dict[str, Any]:
    shape = "both" if require_user_id else draw(st.sampled_from(("both", "user", "anonymous")))
    out: dict[str, Any] = {}
    if shape in ("both", "anonymous") or (require_user_id and draw(st.booleans())):
        out["anonymousId"] = draw(v.uuids())
    if shape in ("both", "user"):
        out["userId"] = draw(v.user_ids())
    return out


@st.composite
def _envelope(draw: Draw, event_type: str, require_user_id: bool = False) -> Event:
    """The keys every Segment event carries, in the order libraries send them."""
    timestamp = draw(v.iso_timestamps())
    event: Event = {"type": event_type, "messageId": f"msg-{draw(v.uuids())}"}
    event.update(draw(_identity(require_user_id=require_user_id)))
    event["timestamp"] = timestamp
    if draw(st.booleans()):
        event["originalTimestamp"] = timestamp
        event["sentAt"] = v.shifted_timestamps(timestamp, draw(st.integers(0, 5)))
        event["receivedAt"] = v.shifted_timestamps(timestamp, draw(st.integers(0, 30)))
    return event


@st.composite
def products(draw: Draw, position: int | None = None) -> dict[str, Any]:
    """One product as Segment's e-commerce spec describes it (optional keys sometimes left out)."""
    product: dict[str, Any] = {
        "product_id": draw(
            st.one_of(
                st.binary(min_size=12, max_size=12).map(bytes.hex),
                st.integers(1, 99999).map(lambda n: f"prod-{n}"),
            )
        ),
        "sku": draw(st.integers(10000, 99999).map(lambda n: f"SKU-{n}-{n % 97:02d}")),
        "category": draw(st.sampled_from(v.PRODUCT_CATEGORIES)),
        "name": draw(st.sampled_from(v.PRODUCT_NAMES)),
        "brand": draw(st.sampled_from(v.BRANDS)),
        "variant": draw(st.sampled_from(v.VARIANTS)),
        "price": draw(v.prices()),
        "quantity": draw(st.integers(1, 12)),
        "coupon": draw(st.sampled_from(v.COUPONS)),
        "position": position if position is not None else draw(st.integers(1, 24)),
        "url": draw(v.urls()),
        "image_url": draw(v.urls("images")) + ".jpg",
    }
    optional = ("brand", "variant", "coupon", "position", "url", "image_url")
    for key in draw(st.lists(st.sampled_from(optional), max_size=3, unique=True)):
        del product[key]
    return product


@st.composite
def _order_properties(draw: Draw) -> dict[str, Any]:
    items = draw(st.integers(1, 4))
    products_list = [draw(products(position=i + 1)) for i in range(items)]
    subtotal = round(sum(p["price"] * p["quantity"] for p in products_list), 2)
    shipping = draw(st.sampled_from((0, 3, 4.99, 9.5)))
    tax = round(subtotal * draw(st.sampled_from((0, 0.05, 0.0825, 0.2))), 2)
    discount = draw(st.sampled_from((0, 0, 2.5, 5, 10)))
    total = round(subtotal + shipping + tax - discount, 2)
    props: dict[str, Any] = {
        "checkout_id": f"chk_{draw(st.integers(1000, 99999))}",
        "order_id": f"ord_{draw(st.integers(100000, 999999))}",
        "affiliation": draw(st.sampled_from(("Google Store", "Web", "iOS App"))),
        "total": total,
        "subtotal": subtotal,
        "revenue": round(subtotal - discount, 2),
        "shipping": shipping,
        "tax": tax,
        "discount": discount,
        "coupon": draw(st.sampled_from(v.COUPONS)),
        "currency": draw(st.sampled_from(v.CURRENCIES)),
        "products": products_list,
    }
    optional = ("checkout_id", "affiliation", "shipping", "tax", "discount", "coupon", "revenue")
    for key in draw(st.lists(st.sampled_from(optional), max_size=3, unique=True)):
        del props[key]
    return props


@st.composite
def _generic_track_properties(draw: Draw) -> dict[str, Any]:
    pool: dict[str, st.SearchStrategy[Any]] = {
        "plan": st.sampled_from(("free", "pro", "enterprise")),
        "value": v.prices(),
        "revenue": v.prices(),
        "currency": st.sampled_from(v.CURRENCIES),
        "label": st.sampled_from(("header", "footer", "modal")),
        "category": st.sampled_from(v.PRODUCT_CATEGORIES),
        "query": st.sampled_from(("board games", "lamp", "t-shirt")),
        "email": v.emails(),
        "count": st.integers(0, 100),
        "is_trial": st.booleans(),
        "tags": st.lists(st.sampled_from(("new", "sale", "gift")), max_size=3, unique=True),
    }
    keys = draw(st.lists(st.sampled_from(sorted(pool)), max_size=5, unique=True))
    return {key: draw(pool[key]) for key in keys}


@st.composite
def _traits(draw: Draw) -> dict[str, Any]:
    first = draw(st.sampled_from(v.FIRST_NAMES))
    last = draw(st.sampled_from(v.LAST_NAMES))
    pool: dict[str, Any] = {
        "email": draw(v.emails()),
        "firstName": first,
        "lastName": last,
        "name": f"{first} {last}",
        "phone": f"+1-202-555-{draw(st.integers(0, 9999)):04d}",
        "age": draw(st.integers(18, 99)),
        "createdAt": draw(v.iso_timestamps()),
        "plan": draw(st.sampled_from(("free", "pro", "enterprise"))),
        "address": {
            "street": "6th St",
            "city": draw(st.sampled_from(("San Francisco", "Paris", "Tōkyō", "São Paulo"))),
            "postalCode": "94103",
            "country": draw(st.sampled_from(("USA", "France", "Japan", "Brazil"))),
        },
        "subscribed": draw(st.booleans()),
    }
    keep = draw(st.lists(st.sampled_from(sorted(pool)), min_size=1, max_size=len(pool), unique=True))
    if "email" not in keep and draw(st.integers(0, 3)) > 0:
        keep.append("email")
    return {key: pool[key] for key in pool if key in keep}


@st.composite
def _group_traits(draw: Draw) -> dict[str, Any]:
    traits: dict[str, Any] = {}
    if draw(st.integers(0, 5)) > 0:
        traits["name"] = draw(
            st.sampled_from(("Initech", "Acme Corp", "Globex", "Société Générale", "Umbrella"))
        )
    if draw(st.booleans()):
        traits["industry"] = draw(st.sampled_from(("Technology", "Retail", "Finance")))
    if draw(st.booleans()):
        traits["employees"] = draw(st.integers(1, 100000))
    if draw(st.booleans()):
        traits["plan"] = draw(st.sampled_from(("free", "pro", "enterprise")))
    return traits


# --------------------------------------------------------------------------- realistic events


@st.composite
def _realistic_track(draw: Draw, event_names: tuple[str, ...]) -> Event:
    name = draw(st.sampled_from(event_names))
    event = draw(_envelope("track"))
    event["event"] = name
    if name in PRODUCT_EVENTS:
        props = draw(products())
        props["cart_id"] = f"cart_{draw(st.integers(1000, 99999))}"
    elif name in ORDER_EVENTS:
        props = draw(_order_properties())
    else:
        props = draw(_generic_track_properties())
    event["properties"] = props
    event["context"] = draw(_context())
    return event


@st.composite
def _realistic_page(draw: Draw) -> Event:
    event = draw(_envelope("page"))
    page = draw(_page_properties())
    if draw(st.integers(0, 4)) > 0:
        event["name"] = draw(st.sampled_from(v.PAGE_NAMES))
    if draw(st.booleans()):
        event["category"] = draw(st.sampled_from(("Docs", "Shop", "Marketing")))
    event["properties"] = {**page, **({"name": event["name"]} if "name" in event else {})}
    event["context"] = draw(_context(page=page))
    return event


@st.composite
def _realistic_identify(draw: Draw) -> Event:
    event = draw(_envelope("identify"))
    event["traits"] = draw(_traits())
    event["context"] = draw(_context())
    return event


@st.composite
def _realistic_group(draw: Draw) -> Event:
    event = draw(_envelope("group"))
    event["groupId"] = draw(
        st.one_of(st.integers(1, 99999).map(lambda n: f"grp_{n}"), v.uuids(), st.integers(1, 999).map(str))
    )
    event["traits"] = draw(_group_traits())
    event["context"] = draw(_context())
    return event


@st.composite
def _realistic_alias(draw: Draw) -> Event:
    event = draw(_envelope("alias", require_user_id=True))
    event["previousId"] = draw(st.one_of(v.uuids(), v.user_ids()))
    event["context"] = draw(_context())
    return event


# --------------------------------------------------------------------------- hostile damage


def _paths(value: Any, prefix: tuple[Any, ...] = (), depth: int = 3) -> list[tuple[Any, ...]]:
    """Every key path into ``value`` down to ``depth`` levels."""
    found: list[tuple[Any, ...]] = []
    if depth == 0:
        return found
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for key, child in items:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key), depth - 1))
    return found


def _existing(event: Event, path: tuple[Any, ...]) -> bool:
    node: Any = event
    for key in path:
        in_dict = isinstance(node, dict) and isinstance(key, str) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if not (in_dict or in_list):
            return False
        node = node[key]
    return True


def _parent(event: Event, path: tuple[Any, ...]) -> Any:
    node: Any = event
    for key in path[:-1]:
        node = node[key]
    return node


def _replacement(draw: Draw, current: Any) -> Any:
    """A hostile value chosen to suit (or deliberately clash with) what was there."""
    if isinstance(current, bool):
        return draw(st.one_of(st.sampled_from(("true", "false", 1, 0, None)), v.hostile_scalars()))
    if isinstance(current, (int, float)):
        return draw(
            st.one_of(
                st.just(str(current)),
                st.just(float(current)),
                v.numeric_strings(),
                v.tricky_numbers(),
                v.hostile_scalars(),
            )
        )
    if isinstance(current, str):
        return draw(st.one_of(st.sampled_from((None, "", " ")), v.tricky_texts(), v.hostile_scalars()))
    if isinstance(current, list):
        return draw(
            st.one_of(st.sampled_from((None, [], {}, "", "[]")), st.lists(v.hostile_scalars(), max_size=3))
        )
    return draw(st.one_of(st.sampled_from((None, {}, [], "", "{}")), v.hostile_values()))


_DAMAGES = ("drop", "null", "empty", "replace", "replace", "timestamp", "nest", "keys", "stringify", "floats")


def _map_numbers(value: Any, convert: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {key: _map_numbers(item, convert) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_numbers(item, convert) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return convert(value)
    return value


@st.composite
def _damaged(draw: Draw, base: st.SearchStrategy[Event]) -> Event:
    event = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 4))):
        mapped = [p for p in MAPPED_PATHS if _existing(event, p)]
        generic = _paths(event)
        if not generic:
            event["properties"] = draw(v.hostile_values())
            continue
        path = (
            draw(st.sampled_from(mapped))
            if mapped and draw(st.integers(0, 9)) < 7
            else draw(st.sampled_from(generic))
        )
        parent = _parent(event, path)
        key = path[-1]
        damage = draw(st.sampled_from(_DAMAGES))
        if damage == "drop":
            del parent[key]
        elif damage == "null":
            parent[key] = None
        elif damage == "empty":
            parent[key] = ""
        elif damage == "replace":
            parent[key] = _replacement(draw, parent[key])
        elif damage == "timestamp":
            event["timestamp"] = draw(v.odd_timestamps())
        elif damage in ("stringify", "floats"):
            # Whole-payload habits of some SDKs: every number sent as text, or every integer as a float.
            convert = str if damage == "stringify" else float
            if "properties" in event:
                event["properties"] = _map_numbers(event["properties"], convert)
        elif damage == "nest":
            parent[key] = draw(v.deep_nesting())
        else:
            target = parent[key] if isinstance(parent[key], dict) else event.setdefault("properties", {})
            if isinstance(target, dict):
                for extra_key in draw(st.lists(v.hostile_keys(), min_size=1, max_size=3)):
                    target[extra_key] = draw(v.hostile_scalars())
            else:
                event["properties"] = draw(v.hostile_values())
    return event


def _maybe_hostile(base: st.SearchStrategy[Event], hostile: bool) -> st.SearchStrategy[Event]:
    return _damaged(base) if hostile else base


# --------------------------------------------------------------------------- public strategies


def track_events(event_names: Iterable[str] | None = None, hostile: bool = False) -> st.SearchStrategy[Event]:
    """``track`` events; e-commerce names (Product Added, Order Completed, ...) get e-commerce properties.

    ``event_names`` limits the names used (default: common tracks and every e-commerce event).
    """
    names = tuple(event_names) if event_names is not None else v.TRACK_EVENT_NAMES + ECOMMERCE_EVENTS
    if not names:
        raise ValueError("event_names must name at least one event")
    return _maybe_hostile(_realistic_track(names), hostile)


def ecommerce_events(
    event_names: Iterable[str] = ECOMMERCE_EVENTS, hostile: bool = False
) -> st.SearchStrategy[Event]:
    """E-commerce ``track`` events: Product Added/Removed carry a product, Order events carry ``products``."""
    names = tuple(event_names)
    unknown = [name for name in names if name not in ECOMMERCE_EVENTS]
    if unknown or not names:
        raise ValueError(
            f"ecommerce event names must be among {', '.join(ECOMMERCE_EVENTS)}; got {unknown or names}"
        )
    return track_events(names, hostile=hostile)


def page_events(hostile: bool = False) -> st.SearchStrategy[Event]:
    """``page`` events with a page name and Segment's page properties (path, referrer, search, title, url)."""
    return _maybe_hostile(_realistic_page(), hostile)


def identify_events(hostile: bool = False) -> st.SearchStrategy[Event]:
    """``identify`` events with traits (e-mail most of the time, names, address, ...)."""
    return _maybe_hostile(_realistic_identify(), hostile)


def group_events(hostile: bool = False) -> st.SearchStrategy[Event]:
    """``group`` events with a ``groupId`` and group traits (``traits.name`` most of the time)."""
    return _maybe_hostile(_realistic_group(), hostile)


def alias_events(hostile: bool = False) -> st.SearchStrategy[Event]:
    """``alias`` events with ``previousId`` and ``userId``."""
    return _maybe_hostile(_realistic_alias(), hostile)


_BY_TYPE: dict[str, Callable[[bool], st.SearchStrategy[Event]]] = {
    "track": lambda hostile: track_events(hostile=hostile),
    "page": page_events,
    "identify": identify_events,
    "group": group_events,
    "alias": alias_events,
}


def events(types: Iterable[str] = EVENT_TYPES, hostile: bool = False) -> st.SearchStrategy[Event]:
    """Segment events of the given ``types``; ``hostile=True`` damages each one a few times."""
    chosen = tuple(types)
    unknown = [t for t in chosen if t not in _BY_TYPE]
    if unknown or not chosen:
        raise ValueError(f"event types must be among {', '.join(EVENT_TYPES)}; got {unknown or chosen}")
    return st.one_of(*(_BY_TYPE[t](hostile) for t in chosen))
