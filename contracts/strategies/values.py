"""Scalar and nested values that events are made of: realistic ones and hostile ones.

Realistic values look like what Segment sources send (ids, e-mails, ISO
timestamps, prices with two decimals).  Hostile values are the ones that
trip implementations: numbers written as strings, floats such as ``2.0``,
numbers JavaScript prints in exponent form, odd timestamps, unicode that
needs escaping, keys JavaScript reorders, and deep nesting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

JsonValue = Any

FIRST_NAMES = ("Ada", "Grace", "Linus", "José", "Zoë", "Łukasz", "Amara", "Kenji", "Priya", "Sam", "美咲")
LAST_NAMES = ("Lovelace", "Hopper", "O'Brien", "Núñez", "Smith", "Okafor", "Tanaka", "Müller", "Dubois")
EMAIL_DOMAINS = ("example.com", "example.org", "mail.example.net", "shop.example.io")
PRODUCT_CATEGORIES = ("Games", "Apparel", "Home & Garden", "Books", "Electronics", "Beauty", "Toys")
PRODUCT_NAMES = (
    "Monopoly: 3rd Edition",
    "Uno Card Game",
    "Cotton T-Shirt",
    "Desk Lamp",
    "Café Mug",
    "Go Board",
)
BRANDS = ("Hasbro", "Mattel", "Acme", "Nordisk", "Kōbō")
VARIANTS = ("200 pieces", "red", "XL", "blue / M", "standard")
COUPONS = ("MAYDEALS", "WELCOME10", "FREESHIP", "BF2024")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD")
PAGE_NAMES = ("Home", "Pricing", "Checkout", "Product Detail", "Search Results")
TRACK_EVENT_NAMES = (
    "Signed Up",
    "Signed In",
    "Checkout Started",
    "Products Searched",
    "Product Viewed",
    "Cart Viewed",
    "Email Opened",
    "Video Playback Started",
    "Subscription Renewed",
)

_EPOCH_START = datetime(2015, 1, 1, tzinfo=UTC)
_EPOCH_END = datetime(2030, 12, 31, tzinfo=UTC)

#: Texts that need escaping or that JavaScript and Python measure differently.
TRICKY_TEXTS = (
    "",
    " ",
    "null",
    "undefined",
    "true",
    "0",
    "Ünïcödé",
    "日本語テキスト",
    "emoji 🎉👩‍👩‍👧",
    "rtl مرحبا",
    "e\u0301 combining",
    "tab\tnew\nline",
    'quote " and \\ backslash',
    "</script><script>",
    "\u2028\u2029 separators",
    "\x00 nul",
    "\x7f del",
    "\ud83d lone surrogate",
    "{{ properties.sku }}",
    "$.properties.sku",
    "@path",
    "a" * 300,
)

#: Numbers whose text differs between JSON.stringify and naive printing, or that sit at limits.
TRICKY_NUMBERS = (
    0,
    -0.0,
    2.0,
    -1,
    0.1 + 0.2,
    1e21,
    1e-7,
    123456789.125,
    2**53,
    2**53 + 1,
    10**30,
    -(10**20),
    1.7976931348623157e308,
    5e-324,
    1e16,
)

#: Timestamps other than a clean ISO string: what clients send in the wild.
ODD_TIMESTAMPS = (
    "2024-03-10",
    "2024-03-10T12:30:00",
    "2024-03-10T12:30:00+05:30",
    "2024-03-10T12:30:00.123456789Z",
    "2024-03-10 12:30:00",
    "2024-02-30T00:00:00Z",
    "2024-13-45T99:99:99Z",
    "Sun, 10 Mar 2024 12:30:00 GMT",
    "03/10/2024",
    "10.03.2024",
    "1710073800",
    "1710073800000",
    "1710073800.5",
    "-1",
    "0",
    "yesterday",
    "",
    "  2024-03-10T12:30:00Z  ",
    "+275760-09-13T00:00:00.000Z",
    1710073800,
    1710073800000,
    1710073800.5,
    0,
    -86400,
    True,
    None,
)


def iso_timestamps() -> st.SearchStrategy[str]:
    """ISO 8601 UTC timestamps with milliseconds, as Segment libraries write them."""
    return st.datetimes(
        min_value=_EPOCH_START.replace(tzinfo=None), max_value=_EPOCH_END.replace(tzinfo=None)
    ).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z")


def odd_timestamps() -> st.SearchStrategy[JsonValue]:
    """Unusual timestamps: date-only, offsets, unix seconds and milliseconds (text and numbers), garbage."""
    unix_seconds = st.integers(min_value=0, max_value=2_000_000_000)
    return st.one_of(
        st.sampled_from(ODD_TIMESTAMPS),
        unix_seconds,
        unix_seconds.map(str),
        unix_seconds.map(lambda s: s * 1000),
        unix_seconds.map(lambda s: str(s * 1000)),
        st.datetimes().map(lambda d: d.isoformat()),
        st.text(max_size=12),
    )


def timestamps(hostile: bool = False) -> st.SearchStrategy[JsonValue]:
    """A timestamp: ISO 8601 normally, sometimes an odd one when ``hostile``."""
    if not hostile:
        return iso_timestamps()
    return st.one_of(iso_timestamps(), odd_timestamps())


def shifted_timestamps(base: str, seconds: int) -> str:
    """An ISO timestamp ``seconds`` after the ISO timestamp ``base`` (for sentAt/receivedAt)."""
    moment = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S.%fZ") + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def uuids() -> st.SearchStrategy[str]:
    """Lower-case UUID strings, as analytics libraries generate anonymous ids."""
    return st.uuids().map(str)


def user_ids() -> st.SearchStrategy[str]:
    """User ids of the shapes customers use: prefixed numbers, UUIDs, hex object ids, e-mails."""
    return st.one_of(
        st.integers(min_value=1, max_value=10**7).map(lambda n: f"user_{n}"),
        uuids(),
        st.binary(min_size=12, max_size=12).map(bytes.hex),
        emails(),
    )


def emails() -> st.SearchStrategy[str]:
    """Plausible e-mail addresses built from a small name vocabulary."""
    return st.builds(
        lambda first, last, n, domain: f"{_ascii_slug(first)}.{_ascii_slug(last)}{n}@{domain}",
        st.sampled_from(FIRST_NAMES),
        st.sampled_from(LAST_NAMES),
        st.integers(min_value=0, max_value=999),
        st.sampled_from(EMAIL_DOMAINS),
    )


def _ascii_slug(name: str) -> str:
    slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
    return slug or "user"


def prices() -> st.SearchStrategy[float | int]:
    """Prices with at most two decimals (whole prices come out as ints, as JSON sources send them)."""
    return st.integers(min_value=0, max_value=500_000).map(
        lambda cents: cents // 100 if cents % 100 == 0 else cents / 100
    )


def urls(kind: str = "product") -> st.SearchStrategy[str]:
    """HTTPS URLs on example domains."""
    return st.builds(
        lambda slug, n: f"https://www.example.com/{kind}/{slug}-{n}",
        st.sampled_from(("monopoly", "uno", "t-shirt", "lamp", "mug", "board")),
        st.integers(min_value=1, max_value=9999),
    )


def tricky_texts() -> st.SearchStrategy[str]:
    """Strings that stress escaping and length: control characters, emoji, lone surrogates, long text."""
    return st.one_of(st.sampled_from(TRICKY_TEXTS), st.text(max_size=20))


def tricky_numbers() -> st.SearchStrategy[int | float]:
    """Numbers that print differently in JavaScript, sit at double limits, or are integral floats."""
    return st.one_of(
        st.sampled_from(TRICKY_NUMBERS),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.integers(min_value=-1000, max_value=1000).map(float),
    )


def numeric_strings() -> st.SearchStrategy[str]:
    """Numbers written as strings: what a coercing validator may or may not turn into numbers."""
    return st.one_of(
        st.sampled_from(
            ("2", "2.5", "2.0", "-3", "1e3", "0x10", " 7 ", "", "01", "Infinity", "NaN", "1,000")
        ),
        st.integers(min_value=-(10**6), max_value=10**6).map(str),
    )


def hostile_scalars() -> st.SearchStrategy[JsonValue]:
    """Any scalar a field might receive instead of the expected one."""
    return st.one_of(
        st.none(),
        st.booleans(),
        tricky_texts(),
        tricky_numbers(),
        numeric_strings(),
    )


def hostile_values(max_leaves: int = 8) -> st.SearchStrategy[JsonValue]:
    """Hostile scalars, arrays and objects (including keys JavaScript reorders or treats specially)."""
    return st.recursive(
        hostile_scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(hostile_keys(), children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def hostile_keys() -> st.SearchStrategy[str]:
    """Keys that matter: integer-like ones (JavaScript orders them first), dots, ``@``, ``__proto__``."""
    return st.one_of(
        st.sampled_from(
            ("10", "2", "0", "-1", "01", "a.b", "@path", "", " ", "__proto__", "constructor", "ключ")
        ),
        st.text(min_size=1, max_size=8),
    )


def deep_nesting(min_depth: int = 10, max_depth: int = 40) -> st.SearchStrategy[JsonValue]:
    """An object (or array) nested ``min_depth``..``max_depth`` levels deep around a scalar."""

    def wrap(depth: int, leaf: JsonValue, use_lists: bool) -> JsonValue:
        value = leaf
        for level in range(depth):
            value = [value] if use_lists and level % 3 == 2 else {f"level{depth - level}": value}
        return value

    return st.builds(
        wrap,
        st.integers(min_value=min_depth, max_value=max_depth),
        hostile_scalars(),
        st.booleans(),
    )
