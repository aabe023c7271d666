"""Mappings built from the mapping kit's directives.

Three families, because each exercises a different part of an implementation:

- valid mappings (``mappings()``, ``mapping_values()``): pass production's
  mapping validation and evaluate without error against any event;
- invalid mappings (``valid=False``): production's validation rejects them
  before any event is looked at (unknown directive, two ``@`` keys, wrong
  argument types, missing required arguments, over-long ``@replace``
  patterns, ...);
- failing mappings (``failing_mappings()``): validation accepts them, but
  evaluation fails (``@if`` without a condition, ``@merge`` without a
  direction, disabled Liquid tags, unterminated Liquid, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

Mapping = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

#: Paths into a Segment event, with and without ``$.``, with indexes, and some that find nothing.
EVENT_PATHS = (
    "$.userId",
    "$.anonymousId",
    "$.event",
    "$.type",
    "$.name",
    "$.timestamp",
    "$.receivedAt",
    "$.messageId",
    "$.groupId",
    "$.previousId",
    "$.traits",
    "$.traits.email",
    "$.traits.name",
    "$.traits.firstName",
    "$.traits.address.city",
    "$.properties",
    "$.properties.sku",
    "$.properties.product_id",
    "$.properties.price",
    "$.properties.quantity",
    "$.properties.name",
    "$.properties.order_id",
    "$.properties.total",
    "$.properties.currency",
    "$.properties.products",
    "$.properties.products[0].sku",
    "$.properties.products[1].price",
    "properties.products.0.name",
    "$.context",
    "$.context.traits.email",
    "$.context.page.url",
    "$.context.library.name",
    "traits.email",
    "userId",
    "$.missing",
    "$.properties.missing.deeper",
)
#: Paths relative to one element of ``properties.products`` (for ``@arrayPath`` item shapes).
PRODUCT_PATHS = (
    "$.product_id",
    "$.sku",
    "$.name",
    "$.price",
    "$.quantity",
    "$.brand",
    "$.category",
    "$.variant",
    "$.url",
    "$.image_url",
    "$.coupon",
    "$.missing",
)
ARRAY_PATHS = ("$.properties.products", "$.properties.tags", "$.traits", "$.properties", "$.missing")

_TEMPLATE_PIECES = (
    "Hello ",
    "{{traits.firstName}}",
    " ",
    "{{traits.lastName}}",
    "Order {{properties.order_id}}",
    "{{{userId}}}",
    "{{ properties.sku }}",
    "{{properties.products[0].name}}",
    "{{missing.value}}",
    "-",
    "{{event}}",
    "€ {{properties.total}}",
)

_LIQUID_VARIABLES = (
    "userId",
    "anonymousId",
    "event",
    "type",
    "traits.email",
    "traits.name",
    "traits.firstName",
    "properties.name",
    "properties.sku",
    "properties.price",
    "properties.quantity",
    "properties.total",
    "properties.products[0].sku",
    "properties.products.size",
    "context.page.url",
    "missing",
)
_LIQUID_FILTERS = (
    "upcase",
    "downcase",
    "capitalize",
    "strip",
    "size",
    "escape",
    "url_encode",
    "default: 'none'",
    "append: '-x'",
    "prepend: 'id:'",
    "remove: '@'",
    "replace: ' ', '_'",
    "truncate: 8",
    "slice: 0, 3",
    "split: '@' | first",
    "split: ' ' | last",
    "plus: 1",
    "times: 100",
    "round",
)
#: Liquid that validation accepts but evaluation rejects (disabled tags and filters, bad syntax).
FAILING_LIQUID = (
    "{% for p in properties.products %}{{ p.sku }}{% endfor %}",
    "{% case type %}{% when 'track' %}t{% endcase %}",
    "{% include 'header' %}",
    "{{ properties.products | sort }}",
    "{{ properties.products | map: 'sku' }}",
    "{{ traits | reverse }}",
    "{{ userId ",
    "{% if userId %}unclosed",
    "{% endif %}",
    "{% bogus %}",
    "x" * 1001,
)


# --------------------------------------------------------------------------- leaves


def paths(relative_to_product: bool = False) -> st.SearchStrategy[str]:
    """A path into an event (or into one product, for ``@arrayPath`` item shapes)."""
    return st.sampled_from(PRODUCT_PATHS if relative_to_product else EVENT_PATHS)


def templates() -> st.SearchStrategy[str]:
    """A ``@template`` string: text with ``{{path}}`` and ``{{{path}}}`` placeholders."""
    return st.lists(st.sampled_from(_TEMPLATE_PIECES), min_size=1, max_size=4).map("".join)


@st.composite
def liquid_templates(draw: Draw) -> str:
    """A Liquid template that liquidjs renders without error (enabled tags and filters only)."""
    variable = draw(st.sampled_from(_LIQUID_VARIABLES))
    filters = draw(st.lists(st.sampled_from(_LIQUID_FILTERS), max_size=2))
    output = "{{ " + " | ".join([variable, *filters]) + " }}"
    shape = draw(st.sampled_from(("output", "output", "if", "unless", "assign", "text")))
    if shape == "if":
        condition = draw(st.sampled_from(_LIQUID_VARIABLES))
        return f"{{% if {condition} %}}{output}{{% else %}}none{{% endif %}}"
    if shape == "unless":
        return f"{{% unless userId %}}anonymous{{% endunless %}}{output}"
    if shape == "assign":
        return f"{{% assign v = {variable} %}}{{{{ v }}}}/{output}"
    if shape == "text":
        return f"Hi {output}!"
    return output


def _raw_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1000, 1000),
        st.sampled_from((2.5, 2.0, 1e21, -0.5)),
        st.sampled_from(("fixed", "pageView", "", "Order Completed", "Ünïcode 🎉", "42")),
    )


def _raw_values() -> st.SearchStrategy[Any]:
    """Plain JSON that the mapping kit copies as is (no ``@`` keys anywhere)."""
    keys = st.sampled_from(("a", "b", "name", "value", "2", "1", "nested key"))
    return st.recursive(
        _raw_scalars(),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
        max_leaves=6,
    )


# --------------------------------------------------------------------------- valid directives


def path_directives(relative_to_product: bool = False) -> st.SearchStrategy[Mapping]:
    """``{"@path": ...}`` into an event (or into one product)."""
    return paths(relative_to_product).map(lambda p: {"@path": p})


def mapping_values(valid: bool = True, depth: int = 2) -> st.SearchStrategy[Any]:
    """One mapping value: a directive (possibly nested ``depth`` levels) or plain JSON.

    ``valid=False`` yields values that production's mapping validation rejects.
    """
    if not valid:
        return _invalid_values(depth)
    return valid_values(depth)


@cache
def valid_values(depth: int, relative_to_product: bool = False) -> st.SearchStrategy[Any]:
    """Valid mapping values nested up to ``depth`` directives deep (cached: strategies are immutable)."""
    leaf_path = path_directives(relative_to_product)
    leaves = st.one_of(
        leaf_path,
        leaf_path,
        templates().map(lambda t: {"@template": t}),
        _raw_scalars(),
        _raw_values().map(lambda x: {"@literal": x}),
        liquid_templates().map(lambda t: {"@liquid": t}),
        leaf_path.map(lambda p: {"@excludeWhenNull": p}),
        leaf_path.map(lambda p: {**p, "_metadata": {"label": "from the UI"}}),
    )
    if depth <= 0:
        return leaves
    inner = valid_values(depth - 1, relative_to_product)
    return st.one_of(
        leaves,
        if_directives(inner, leaf_path),
        case_directives(leaf_path),
        replace_directives(leaf_path),
        array_path_directives(depth - 1),
        merge_directives(inner),
        transform_directives(depth - 1),
        flatten_directives(leaf_path),
        json_directives(inner),
        inner.map(lambda x: {"@literal": x}),
        inner.map(lambda x: {"@excludeWhenNull": x}),
        st.dictionaries(st.sampled_from(("a", "b", "id", "name", "2")), inner, min_size=1, max_size=3),
        st.lists(inner, max_size=3),
    )


@st.composite
def if_directives(draw: Draw, inner: st.SearchStrategy[Any], condition: st.SearchStrategy[Any]) -> Mapping:
    """``@if`` on ``exists`` or ``blank``, with ``then`` and/or ``else`` (a missing branch yields nothing)."""
    body: dict[str, Any] = {draw(st.sampled_from(("exists", "blank"))): draw(condition)}
    if draw(st.integers(0, 4)) > 0:
        body["then"] = draw(inner)
    if draw(st.booleans()):
        body["else"] = draw(inner)
    return {"@if": body}


@st.composite
def case_directives(draw: Draw, value: st.SearchStrategy[Any]) -> Mapping:
    """``@case`` lower/upper of ``value``."""
    return {"@case": {"operator": draw(st.sampled_from(("lower", "upper"))), "value": draw(value)}}


@st.composite
def replace_directives(draw: Draw, value: st.SearchStrategy[Any]) -> Mapping:
    """``@replace`` with patterns that need regex escaping and replacements JavaScript treats specially."""
    body: dict[str, Any] = {
        "pattern": draw(st.sampled_from((" ", "-", ".", "@", "a", "$", "(", "*", "e", "SKU-", "[x]", "\\"))),
    }
    if draw(st.integers(0, 3)) > 0:
        body["replacement"] = draw(st.sampled_from(("", "_", "+", "$&", "$1", "AT", "ok")))
    body["value"] = draw(value)
    if draw(st.booleans()):
        body["ignorecase"] = draw(st.booleans())
    if draw(st.booleans()):
        body["global"] = draw(st.booleans())
    return {"@replace": body}


@st.composite
def array_path_directives(draw: Draw, depth: int) -> Mapping:
    """``@arrayPath`` over an array (or not) with an item shape, or with the path alone."""
    root = draw(
        st.one_of(st.sampled_from(ARRAY_PATHS), st.sampled_from(ARRAY_PATHS).map(lambda p: {"@path": p}))
    )
    if draw(st.integers(0, 5)) == 0:
        return {"@arrayPath": [root]}
    item = valid_values(max(depth - 1, 0), relative_to_product=True)
    shape = draw(
        st.dictionaries(
            st.sampled_from(("productID", "sku", "name", "qty", "itemPrice", "x")), item, max_size=4
        )
    )
    return {"@arrayPath": [root, shape]}


@st.composite
def merge_directives(draw: Draw, inner: st.SearchStrategy[Any]) -> Mapping:
    """``@merge`` of objects, paths to objects and paths to strings (JavaScript spreads those by index)."""
    objects = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    ("$.traits", "$.properties", "$.context.traits", "$.userId", "$.missing")
                ).map(lambda p: {"@path": p}),
                st.dictionaries(st.sampled_from(("email", "name", "plan", "a")), inner, max_size=3),
            ),
            max_size=3,
        )
    )
    # Validation lower-cases the direction; evaluation does not, so "LEFT" merges as "right".
    direction = draw(st.sampled_from(("left", "right", "left", "right", "LEFT")))
    return {"@merge": {"objects": objects, "direction": direction}}


@st.composite
def transform_directives(draw: Draw, depth: int) -> Mapping:
    """``@transform``: ``apply`` builds a new payload that ``mapping`` reads from."""
    inner = valid_values(depth)
    apply = draw(
        st.dictionaries(st.sampled_from(("email", "id", "total", "nested")), inner, min_size=1, max_size=3)
    )
    mapping = draw(
        st.dictionaries(
            st.sampled_from(("out", "email", "id")),
            st.sampled_from(("$.email", "$.id", "$.total", "$.nested", "$.userId")).map(
                lambda p: {"@path": p}
            ),
            min_size=1,
            max_size=2,
        )
    )
    return {"@transform": {"apply": apply, "mapping": mapping}}


@st.composite
def flatten_directives(draw: Draw, value: st.SearchStrategy[Any]) -> Mapping:
    """``@flatten`` of an object (or of a scalar, which flattens to an empty key)."""
    source = draw(
        st.one_of(
            st.sampled_from(("$.properties", "$.traits", "$.context")).map(lambda p: {"@path": p}), value
        )
    )
    body: dict[str, Any] = {"value": source, "separator": draw(st.sampled_from((".", "_", "/", "::")))}
    if draw(st.integers(0, 3)) == 0:
        body["omitArrays"] = draw(st.booleans())
    return {"@flatten": body}


@st.composite
def json_directives(draw: Draw, inner: st.SearchStrategy[Any]) -> Mapping:
    """``@json`` encode or decode (decode of text that is not JSON keeps the text)."""
    # Validation lower-cases the mode; evaluation does not, so "Encode" yields nothing.
    mode = draw(st.sampled_from(("encode", "decode", "encode", "decode", "Encode")))
    if mode == "decode":
        source = draw(
            st.one_of(
                st.sampled_from(('{"a":1}', "[1,2]", "not json", "2", '"s"')),
                st.sampled_from(EVENT_PATHS).map(lambda p: {"@path": p}),
            )
        )
    else:
        source = draw(inner)
    if source in (None, False, 0, ""):
        source = {"@path": "$.userId"}
    return {"@json": {"value": source, "mode": mode}}


# --------------------------------------------------------------------------- invalid directives


@st.composite
def _invalid_nodes(draw: Draw) -> Any:
    """A single directive that validation rejects."""
    path = {"@path": draw(paths())}
    not_a_string = draw(st.one_of(st.integers(), st.booleans(), st.none(), st.just([1]), st.just({"a": 1})))
    not_an_object = draw(
        st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.none(), st.just([1]))
    )
    choices: list[Any] = [
        {draw(st.sampled_from(("@paht", "@Path", "@foo", "@", "@ifs", "@arraypath", "@Liquid"))): "$.userId"},
        {"@path": "$.userId", "@template": "{{userId}}"},
        {"@path": "$.userId", "extra": 1},
        {"name": "x", "@literal": "y"},
        {"@path": not_a_string},
        {"@template": not_a_string},
        {"@liquid": draw(st.one_of(st.just(path), st.integers(), st.none(), st.just(["{{ userId }}"])))},
        {"@if": not_an_object},
        {"@if": {"exists": {"@nope": 1}, "then": "a"}},
        {"@if": {"exists": path, "then": {"@path": 5}}},
        {"@case": not_an_object},
        {
            "@case": {
                "operator": draw(st.one_of(st.integers(), st.booleans(), st.just(["lower"]))),
                "value": path,
            }
        },
        {"@case": {"operator": "lower", "value": draw(st.one_of(st.integers(), st.just({"a": 1})))}},
        {"@replace": {"value": path}},
        {"@replace": {"pattern": "abcdefghijk" + draw(st.text(max_size=3)), "value": path}},
        {"@replace": {"pattern": "", "value": path}},
        {"@replace": {"pattern": "a", "replacement": "0123456789x", "value": path}},
        {"@replace": {"pattern": "a", "value": path, "global": "yes"}},
        {"@replace": {"pattern": "a"}},
        {"@replace": {"pattern": 5, "value": path}},
        {"@arrayPath": draw(st.one_of(st.text(max_size=5), st.none(), st.just({"a": 1})))},
        {"@arrayPath": [draw(st.one_of(st.integers(), st.none())), {"sku": {"@path": "$.sku"}}]},
        {"@arrayPath": ["$.properties.products", {"sku": {"@bad": "$.sku"}}]},
        {"@json": {"value": path}},
        {"@json": {"value": path, "mode": draw(st.sampled_from(("stringify", "", "ENCODEX")))}},
        {"@json": {"mode": "encode"}},
        {"@flatten": {"separator": "."}},
        {"@flatten": {"separator": 1, "value": path}},
        {"@merge": {"direction": "left"}},
        {"@merge": {"objects": not_an_object, "direction": "left"}},
        {"@merge": {"objects": [path], "direction": "up"}},
        {"@merge": {"objects": [draw(st.one_of(st.integers(), st.text(max_size=4)))], "direction": "right"}},
        {"@transform": {"apply": {"a": path}}},
        {"@transform": {"mapping": {"a": path}}},
        {"@transform": {"apply": not_an_object, "mapping": {"a": path}}},
        {"@excludeWhenNull": {"@missing": 1}},
        {"@literal": {"@template": 7}},
    ]
    return draw(st.sampled_from(choices))


@st.composite
def _invalid_values(draw: Draw, depth: int = 2) -> Any:
    """An invalid node placed where validation looks: bare, in plain objects, or in a checked argument."""
    node = draw(_invalid_nodes())
    for _ in range(draw(st.integers(0, max(depth, 0)))):
        wrapper = draw(
            st.sampled_from(("object", "if-then", "if-exists", "case", "array-shape", "transform"))
        )
        if wrapper == "object":
            node = {draw(st.sampled_from(("a", "nested", "x"))): node}
        elif wrapper == "if-then":
            node = {"@if": {"exists": {"@path": "$.userId"}, "then": node}}
        elif wrapper == "if-exists":
            node = {"@if": {"exists": node, "then": "yes"}}
        elif wrapper == "case" and isinstance(node, dict) and any(k.startswith("@") for k in node):
            node = {"@case": {"operator": "lower", "value": node}}
        elif wrapper == "array-shape":
            node = {"@arrayPath": ["$.properties.products", {"sku": node}]}
        else:
            node = {"@transform": {"apply": {"a": node}, "mapping": {"out": {"@path": "$.a"}}}}
    return node


# --------------------------------------------------------------------------- failing directives


@st.composite
def _failing_nodes(draw: Draw) -> Any:
    path = {"@path": draw(paths())}
    falsy = draw(st.sampled_from((None, False, 0, "")))
    choices: list[Any] = [
        {"@if": {"then": "a", "else": "b"}},
        {"@if": {"exists": falsy, "then": "a"}},
        {"@case": {"value": path}},
        {"@case": {"operator": "", "value": "Track"}},
        {"@case": {"operator": draw(st.sampled_from(("title", "LOWER", "camel"))), "value": "Track"}},
        {"@merge": {"objects": [path]}},
        {"@flatten": {"value": path}},
        {"@flatten": {"value": path, "separator": ""}},
        {"@json": {"value": falsy, "mode": "encode"}},
        {"@path": {"@literal": draw(st.one_of(st.integers(), st.none(), st.booleans()))}},
        {"@template": {"@literal": draw(st.one_of(st.integers(), st.none(), st.just(["x"])))}},
        {"@liquid": draw(st.sampled_from(FAILING_LIQUID))},
    ]
    return draw(st.sampled_from(choices))


def failing_mappings() -> st.SearchStrategy[Mapping]:
    """Mappings that production's validation accepts but whose evaluation raises an error for any event."""
    return st.builds(
        lambda key, node, rest: {**rest, key: node},
        st.sampled_from(("action", "value", "out")),
        _failing_nodes(),
        st.dictionaries(st.sampled_from(("a", "b")), valid_values(1), max_size=2),
    )


# --------------------------------------------------------------------------- whole mappings


def mappings(valid: bool = True, depth: int = 2) -> st.SearchStrategy[Mapping]:
    """A whole mapping object (key -> mapping value), as a user saves it for an action.

    ``valid=True``: validation accepts it and it evaluates without error against any event.
    ``valid=False``: validation rejects it (exactly one bad node somewhere validation looks).
    """
    keys = st.one_of(
        st.sampled_from(("action", "time", "properties", "userIdentities", "out", "a", "2", "nested key")),
        st.text(min_size=1, max_size=8).filter(lambda k: not k.startswith("@")),
    )
    good = st.dictionaries(keys, valid_values(depth), min_size=1, max_size=5)
    if valid:
        return good
    return st.builds(
        lambda base, key, bad: {**base, key: bad},
        st.dictionaries(keys, valid_values(1), max_size=3),
        keys,
        _invalid_values(depth),
    )
