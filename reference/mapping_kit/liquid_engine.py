"""``@liquid``: Liquid templates configured the way production configures liquidjs.

Production's engine: templates of at most 1,000 characters (an empty one
renders ``""``), at most 500 ms of rendering and 1e8 units of filter memory;
the tags ``case``, ``for``, ``include``, ``layout``, ``render`` and
``tablerow`` fail to parse; twenty filters (``map``, ``sort``, ``where_exp``,
``concat``...) fail when they run; unknown filters pass the value through;
unknown variables render as nothing.  Values are printed and compared with
JavaScript rules (``2.0`` prints ``2``, ``"1" == 1`` is false, ``"10" > 9``
is true, arrays print their items concatenated).

Parsing and rendering use python-liquid; its filters are replaced by
liquidjs's (:mod:`liquid_filters`), its comparisons and variable lookups by
liquidjs's (:mod:`liquid_values`).  Errors carry liquidjs's message and
position (``tag "for" is disabled, line:1, col:1``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from liquid import Environment, RenderContext
from liquid.ast import BlockNode, Node
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
)
from liquid.builtin.expressions.primitive import Blank, Empty, Nil
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.exceptions import FilterArgumentError, LiquidError, LiquidSyntaxError
from liquid.expression import Expression
from liquid.mode import Mode
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.template import BoundTemplate
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG
from liquid.undefined import Undefined

from reference.errors import MappingResolutionError
from reference.js_json import UNDEFINED
from reference.js_values import own_property, to_js_string, to_number, utf16_length, utf16_units

from .liquid_dates import LiquidDateError
from .liquid_filters import DISABLED_FILTERS, FILTERS, LiquidFilterError, MemoryBudget
from .liquid_syntax import DISABLED_TAGS, LiquidStructureError, check_structure
from .liquid_values import BLANK, EMPTY, NIL, liquid_equals, liquid_string, read_property

__all__ = ["compile_liquid", "MAX_TEMPLATE_LENGTH", "RENDER_LIMIT_SECONDS", "MEMORY_LIMIT"]

MAX_TEMPLATE_LENGTH = 1000
RENDER_LIMIT_SECONDS = 0.5
MEMORY_LIMIT = 1e8


class _LiquidFailure(LiquidSyntaxError):
    """An error with liquidjs's wording; ``offset`` is where liquidjs reports it."""

    def __init__(self, message: str, offset: int | None = None, token: Any = None) -> None:
        super().__init__(message, token=token)
        self.offset = offset


def _to_js(value: Any) -> Any:
    """python-liquid's values as the JavaScript values liquidjs would see."""
    if isinstance(value, Undefined):
        return UNDEFINED
    if isinstance(value, range):
        return list(value)
    if isinstance(value, Empty):
        return EMPTY
    if isinstance(value, Blank):
        return BLANK
    return value


def _primitive(value: Any) -> Any:
    """``ToPrimitive``: arrays and objects compare as their ``String`` form."""
    if isinstance(value, (list, dict)):
        return to_js_string(value)
    return value


def _relation(left: Any, right: Any) -> tuple[Any, Any] | None:
    """Operands of JavaScript's ``<``: two strings, two numbers, or None when NaN is involved."""
    left, right = _primitive(_to_js(left)), _primitive(_to_js(right))
    if left is EMPTY or left is BLANK or right is EMPTY or right is BLANK:
        return None
    if isinstance(left, str) and isinstance(right, str):
        return utf16_units(left), utf16_units(right)
    left_number, right_number = to_number(left), to_number(right)
    if left_number != left_number or right_number != right_number:
        return None
    return left_number, right_number


class _JsEq(EqExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return liquid_equals(_to_js(self.left.evaluate(context)), _to_js(self.right.evaluate(context)))


class _JsNe(NeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return not liquid_equals(_to_js(self.left.evaluate(context)), _to_js(self.right.evaluate(context)))


def _comparison(check: Callable[[Any, Any], bool]) -> Callable[[Any, RenderContext], object]:
    def evaluate(self: Any, context: RenderContext) -> object:
        operands = _relation(self.left.evaluate(context), self.right.evaluate(context))
        return False if operands is None else check(*operands)

    return evaluate


class _JsLt(LtExpression):
    __slots__ = ()
    evaluate = _comparison(lambda a, b: a < b)  # type: ignore[assignment]


class _JsGt(GtExpression):
    __slots__ = ()
    evaluate = _comparison(lambda a, b: a > b)  # type: ignore[assignment]


class _JsLe(LeExpression):
    __slots__ = ()
    evaluate = _comparison(lambda a, b: a <= b)  # type: ignore[assignment]


class _JsGe(GeExpression):
    __slots__ = ()
    evaluate = _comparison(lambda a, b: a >= b)  # type: ignore[assignment]


class _JsContains(ContainsExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        left = _filter_value(self.left.evaluate(context))
        right = _filter_value(self.right.evaluate(context))
        if isinstance(left, list):
            return any(liquid_equals(item, right) for item in left)
        if isinstance(left, str):
            return utf16_units(to_js_string(right)) in utf16_units(left)
        return False


class _JsNil(Nil):
    """The ``nil`` literal stays distinguishable from a variable holding null (liquidjs's NullDrop)."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return NIL


_JS_EXPRESSIONS: dict[type, type] = {
    Nil: _JsNil,
    EqExpression: _JsEq,
    NeExpression: _JsNe,
    LtExpression: _JsLt,
    GtExpression: _JsGt,
    LeExpression: _JsLe,
    GeExpression: _JsGe,
    ContainsExpression: _JsContains,
}


def _adopt_js_semantics(expression: Expression) -> None:
    replacement = _JS_EXPRESSIONS.get(type(expression))
    if replacement is not None:
        expression.__class__ = replacement
    for child in expression.children():
        _adopt_js_semantics(child)


class _JsRenderContext(RenderContext):
    """Variable lookups as liquidjs does them; carries the render's limits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = MemoryBudget(MEMORY_LIMIT)
        self.deadline = time.perf_counter() + RENDER_LIMIT_SECONDS

    def check_deadline(self) -> None:
        if time.perf_counter() > self.deadline:
            raise _LiquidFailure("template render limit exceeded")

    def get(self, path: list[object], *, token: Any, default: object = UNDEFINED) -> object:  # type: ignore[override]
        root, *rest = path
        root_key = _to_js(root)
        if isinstance(root_key, str) and root_key in self.locals:
            value = self.locals[root_key]
        else:
            value = read_property(self._scope_for(root_key), root_key)
        for key in rest:
            value = read_property(_to_js(value), _to_js(key))
        if value is UNDEFINED:
            return self.env.undefined(str(root), token=token)
        return value

    def _scope_for(self, key: Any) -> Any:
        """liquidjs's ``findScope``: the event when it holds ``key``, else an empty global scope."""
        event = self.globals.get("__event__", {})
        if isinstance(event, dict):
            return event if isinstance(key, str) and key in event else {}
        return event if own_property(event, to_js_string(key)) is not UNDEFINED else {}

    def get_item(self, obj: Any, key: Any) -> Any:
        value = read_property(_to_js(obj), _to_js(key))
        if value is UNDEFINED:
            raise KeyError(key)
        return value


class _JsTemplate(BoundTemplate):
    context_class = _JsRenderContext


class _JsOutputNode(OutputNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        if isinstance(context, _JsRenderContext):
            context.check_deadline()
        return buffer.write(liquid_string(_to_js(self.expression.evaluate(context))))


class _JsEchoNode(EchoNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        return buffer.write(liquid_string(_to_js(self.expression.evaluate(context))))


class _JsOutput(Output):
    node_class = _JsOutputNode


class _JsEcho(EchoTag):
    node_class = _JsEchoNode


def _disabled_tag(tag_name: str) -> type[Tag]:
    class DisabledTag(Tag):
        name = tag_name
        block = False

        def parse(self, stream: Any) -> Node:
            raise _LiquidFailure(f'tag "{tag_name}" is disabled', token=stream.current)

    return DisabledTag


class _UnknownTag(Tag):
    name = "illegal"
    block = False

    def parse(self, stream: Any) -> Node:
        token = stream.current
        raise _LiquidFailure(f'tag "{token.value}" not found', token=token)


def _filter_value(value: Any) -> Any:
    """What a liquidjs filter receives: drops become their value (``nil`` is null, ``empty`` is "")."""
    value = _to_js(value)
    if value is NIL:
        return None
    if value is EMPTY or value is BLANK:
        return ""
    return value


#: Filters that see ``empty``/``blank`` as objects; the rest convert them to "" first.
_SEES_DROPS = frozenset({"json", "jsonify", "inspect"})


def _js_filter(name: str, implementation: Callable[..., Any]) -> Callable[..., Any]:
    def run(value: Any, *args: Any, context: RenderContext, **kwargs: Any) -> Any:
        if name in _SEES_DROPS and (isinstance(value, (Empty, Blank)) or value is NIL):
            value = {}
        budget = context.budget if isinstance(context, _JsRenderContext) else MemoryBudget(MEMORY_LIMIT)
        arguments = [_filter_value(arg) for arg in args] + [
            [key, _filter_value(arg)] for key, arg in kwargs.items()
        ]
        try:
            result = implementation(budget, _filter_value(value), *arguments)
        except (LiquidFilterError, LiquidDateError) as error:
            raise FilterArgumentError(str(error), token=None) from error
        if result is UNDEFINED:
            return context.env.undefined(name)
        return result

    run.with_context = True  # type: ignore[attr-defined]
    return run


def _disabled_filter(name: str) -> Callable[..., Any]:
    def run(value: Any, *args: Any, **kwargs: Any) -> Any:
        raise FilterArgumentError(f'filter "{name}" is disabled', token=None)

    return run


class _BlockNode(Node):
    """liquidjs's ``{% block %}`` outside a layout: renders its body."""

    __slots__ = ("body",)

    def __init__(self, token: Any, body: BlockNode) -> None:
        super().__init__(token)
        self.body = body
        self.blank = body.blank

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        return self.body.render(context, buffer)

    def children(self, static_context: RenderContext, *, include_partials: bool = True) -> Iterable[Node]:
        return [self.body]


class _BlockTag(Tag):
    name = "block"
    end = "endblock"

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        if stream.current.kind == TOKEN_EXPRESSION:
            next(stream)
        body = get_parser(self.env).parse_block(stream, ("endblock",))
        stream.expect(TOKEN_TAG, value="endblock")
        return _BlockNode(token, body)


class _LiquidJsEnvironment(Environment):
    template_class = _JsTemplate
    suppress_blank_control_flow_blocks = False

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=False)
        for name in ("ifchanged", "doc"):
            self.tags.pop(name, None)
        self.add_tag(_JsOutput)
        self.add_tag(_JsEcho)
        self.add_tag(_UnknownTag)
        self.add_tag(_BlockTag)
        for name in DISABLED_TAGS:
            self.add_tag(_disabled_tag(name))
        self.filters = {name: _js_filter(name, implementation) for name, implementation in FILTERS.items()}
        for name in DISABLED_FILTERS:
            self.filters[name] = _disabled_filter(name)


_ENGINE = _LiquidJsEnvironment(tolerance=Mode.STRICT, strict_filters=False)


def _position(source: str, offset: int) -> str:
    """liquidjs's ``line:N, col:M`` (1-based; columns count UTF-16 code units)."""
    before = source[:offset]
    line = before.count("\n") + 1
    column = utf16_length(before[before.rfind("\n") + 1 :]) + 1
    return f"line:{line}, col:{column}"


def _markup_start(source: str, offset: int) -> int:
    """The ``{{`` or ``{%`` that opens the markup holding ``offset``."""
    starts = [source.rfind("{{", 0, offset + 2), source.rfind("{%", 0, offset + 2)]
    start = max(starts)
    return start if start >= 0 else offset


def _message(error: LiquidError, source: str) -> str:
    offset = getattr(error, "offset", None)
    if offset is None:
        token = error.token
        start = getattr(token, "start_index", -1) if token is not None else -1
        offset = _markup_start(source, start) if start >= 0 else 0
    return f"{error.message}, {_position(source, offset)}"


def _walk(nodes: list[Node], context: RenderContext) -> None:
    for node in nodes:
        for expression in node.expressions():
            _adopt_js_semantics(expression)
        _walk(list(node.children(context, include_partials=False)), context)


def _parse(source: str) -> BoundTemplate:
    try:
        check_structure(source)
    except LiquidStructureError as error:
        raise _LiquidFailure(error.message, offset=error.offset) from None
    template = _ENGINE.from_string(source)
    _walk(template.nodes, RenderContext(template))
    return template


def compile_liquid(source: Any, place: str) -> Callable[[Any], Any]:
    """A resolver for ``{"@liquid": source}``; errors are raised when it runs, as in production."""
    if not isinstance(source, str):
        return _failing("liquid template value must be a string", place)
    if source == "":
        return lambda payload: ""
    if utf16_length(source) > MAX_TEMPLATE_LENGTH:
        return _failing("liquid template values are limited to 1000 characters", place)
    try:
        template = _parse(source)
    except LiquidError as error:
        return _failing(_message(error, source), place)
    except RecursionError:
        return _failing("liquid template is nested too deeply", place)

    def render(payload: Any) -> str:
        try:
            return template.render(__event__=payload)
        except LiquidError as error:
            raise MappingResolutionError(_message(error, source), place) from None
        except (RecursionError, ValueError, TypeError, ArithmeticError) as error:
            raise MappingResolutionError(f"liquid render failed: {error}", place) from None

    return render


def _failing(message: str, place: str) -> Callable[[Any], Any]:
    def fail(payload: Any) -> Any:
        raise MappingResolutionError(message, place)

    return fail
