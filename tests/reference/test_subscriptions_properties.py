"""Property tests: and/or semantics, robustness on arbitrary events, rejection of bad syntax."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from reference.errors import SubscriptionEvaluationError, SubscriptionSyntaxError
from reference.subscriptions import Subscription, parse_subscription

FIELDS = ("type", "event", "name", "userId", "properties.a", "traits.b", "context.c")
WORDS = ("x", "y", "track", "Product Added")


@dataclass(frozen=True)
class Atom:
    """``field = "word"``: true exactly when the event holds that string at that field."""

    field: str
    word: str

    def text(self) -> str:
        return f'{self.field} = "{self.word}"'

    def holds(self, event: dict) -> bool:
        root, _, key = self.field.partition(".")
        value = event.get(root)
        if key:
            value = value.get(key) if isinstance(value, dict) else None
        return value == self.word


@dataclass(frozen=True)
class Flat:
    """Items joined by conditionals; production joins them all with the *last* conditional."""

    items: tuple[Atom | Flat, ...]
    conditionals: tuple[str, ...]

    def text(self) -> str:
        parts = [_item_text(self.items[0])]
        for conditional, item in zip(self.conditionals, self.items[1:], strict=True):
            parts += [conditional, _item_text(item)]
        return " ".join(parts)

    def holds(self, event: dict) -> bool:
        operator = self.conditionals[-1] if self.conditionals else "and"
        results = [item.holds(event) for item in self.items]
        return all(results) if operator == "and" else any(results)


def _item_text(item: Atom | Flat) -> str:
    return f"({item.text()})" if isinstance(item, Flat) else item.text()


atoms = st.builds(Atom, st.sampled_from(FIELDS), st.sampled_from(WORDS))


def flats(item: st.SearchStrategy) -> st.SearchStrategy[Flat]:
    return st.integers(1, 4).flatmap(
        lambda n: st.builds(
            Flat,
            st.tuples(*[item] * n),
            st.tuples(*[st.sampled_from(("and", "or"))] * (n - 1)),
        )
    )


# Parentheses cannot nest in production, so groups hold atoms only.
subscriptions = flats(st.one_of(atoms, flats(atoms)))

model_events = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(WORDS),
        "event": st.sampled_from(WORDS),
        "name": st.sampled_from(WORDS),
        "userId": st.sampled_from(WORDS),
        "properties": st.fixed_dictionaries({}, optional={"a": st.sampled_from(WORDS)}),
        "traits": st.fixed_dictionaries({}, optional={"b": st.sampled_from(WORDS)}),
        "context": st.fixed_dictionaries({}, optional={"c": st.sampled_from(WORDS)}),
    },
)


def _atoms_of(item: Atom | Flat) -> list[Atom]:
    return [item] if isinstance(item, Atom) else [atom for child in item.items for atom in _atoms_of(child)]


@given(subscriptions, model_events, st.data())
def test_and_or_follow_the_last_conditional_at_each_level(
    subscription: Flat, event: dict, data: st.DataObject
) -> None:
    # Make some of the subscription's own atoms true so that and/or disagree often.
    for atom in _atoms_of(subscription):
        if data.draw(st.booleans()):
            root, _, key = atom.field.partition(".")
            if key:
                event[root] = {**event.get(root, {}), key: atom.word}
            else:
                event[root] = atom.word
    assert parse_subscription(subscription.text()).matches(event) is subscription.holds(event)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
EVENT_KEYS = ("type", "event", "name", "userId", "properties", "traits", "context", "other")
json_events = st.dictionaries(
    st.sampled_from(EVENT_KEYS) | st.text(),
    json_values,
    max_size=6,
)

PATHS = (
    "properties.a", "properties.a.b", "properties.items.length", "properties.s.\\0", "traits.email",
    "context.page.url", "properties.constructor.name", "properties.toString", "properties.x.y.z.w",
)
OPERATORS = ("=", "!=", "<", "<=", ">", ">=")
VALUES = ('"x"', '""', "5", "-1.5", "null", "true", "false", '"5"', "'q'", "-")
conditions = st.one_of(
    st.builds(
        lambda f, o, v: f"{f} {o} {v}",
        st.sampled_from(("type", "event", "name", "userId") + PATHS),
        st.sampled_from(OPERATORS),
        st.sampled_from(VALUES),
    ),
    st.builds(
        lambda neg, fn, f, v: f"{neg}{fn}({f}, {v})",
        st.sampled_from(("", "!")),
        st.sampled_from(("contains", "match")),
        st.sampled_from(("event", "name", "userId") + PATHS),
        st.sampled_from(('"a*"', '"*a"', '"a"', "5", '"😀"')),
    ),
)


def _joined(conds: list[str]) -> st.SearchStrategy[str]:
    conditionals = st.lists(st.sampled_from(("and", "or")), min_size=len(conds) - 1, max_size=len(conds) - 1)
    return conditionals.map(
        lambda ops: " ".join([conds[0]] + [f"{op} {c}" for op, c in zip(ops, conds[1:], strict=True)])
    )


rich_subscriptions = st.lists(conditions, min_size=1, max_size=4).flatmap(_joined)


@given(rich_subscriptions, json_events)
def test_matching_never_raises_on_arbitrary_json_events(text: str, event: dict) -> None:
    assert parse_subscription(text).matches(event) in (True, False)


SUBSCRIPTION_ALPHABET = st.sampled_from('typeandorulsmch.!=<>()"\' ,\\-+05*[]#\t\n\r😀')


@given(st.text(alphabet=SUBSCRIPTION_ALPHABET, max_size=30), json_events)
def test_any_text_parses_or_raises_a_syntax_error(text: str, event: dict) -> None:
    try:
        subscription = parse_subscription(text)
    except SubscriptionSyntaxError as error:
        assert "at position" in error.message
        return
    assert isinstance(subscription, Subscription)
    try:
        assert subscription.matches(event) in (True, False)
    except SubscriptionEvaluationError as error:
        assert error.subscription == text


INVALID_CHARACTERS = st.sampled_from(list("#$%&;:?@^`{}|~/*\r") + ["é", "😀"])


@given(subscriptions, st.data())
def test_a_stray_character_outside_strings_is_a_syntax_error(subscription: Flat, data: st.DataObject) -> None:
    text = subscription.text()
    # Any space outside a quoted string separates two tokens.
    gaps = [i for i, ch in enumerate(text) if ch == " " and text.count('"', 0, i) % 2 == 0]
    where = data.draw(st.sampled_from(gaps)) if gaps else len(text)
    bad = data.draw(INVALID_CHARACTERS)
    broken = f"{text[:where]} {bad} {text[where:]}"
    try:
        parse_subscription(broken)
    except SubscriptionSyntaxError as error:
        assert error.position == where + 1
    else:
        raise AssertionError(f"{broken!r} parsed")


@given(subscriptions, st.sampled_from(['"', "'", "(", "!", "contains(", "type"]))
def test_unfinished_subscriptions_are_syntax_errors(subscription: Flat, tail: str) -> None:
    broken = f"{subscription.text()} {tail}"
    try:
        parse_subscription(broken)
    except SubscriptionSyntaxError:
        return
    raise AssertionError(f"{broken!r} parsed")
