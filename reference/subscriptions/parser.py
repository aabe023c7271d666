"""Production's subscription parser: tokens to a tree of conditions, surprises included.

Production does not parse a grammar; it walks the tokens once and picks out
what it recognizes.  What that means for a subscription:

* **One operator per level, the last one wins.**  Conditions side by side
  form one flat group, joined by the *last* ``and``/``or`` seen at that level:
  ``a and b or c`` is ``a or b or c``, and ``a or b and c`` is
  ``a and b and c``.  There is no precedence; only parentheses group.
* **Parentheses cannot nest.**  A group ends at the first ``)``, so a ``(``
  inside a group is never closed (a syntax error), and a stray ``)`` is
  ignored.  ``()`` (or parentheses holding nothing recognizable) leaves a hole
  that fails evaluation (:class:`~reference.subscriptions.nodes.EmptyGroup`).
* **Unknown things are skipped.**  A token that does not start a condition is
  ignored: ``foo = "x" and type = "track"`` is ``type = "track"``.  A
  subscription with nothing recognizable at all is an error.
* **A condition is exactly three tokens**: a field, then whatever token comes
  next as the operator, then whatever token follows as the value.  Nothing is
  checked: ``type =`` compares ``type`` with the text ``eos`` (the end
  marker), ``type and type = "x"`` has the operator ``and`` and matches
  nothing, ``properties.a contains "x"`` works like ``contains()``.
* **Fields.**  ``type``, ``event``, ``name`` and ``userId`` (anything after a
  dot is ignored: ``type.x`` is ``type``), and ``properties``, ``traits`` and
  ``context`` with an optional dot path (``properties`` alone reads
  ``properties.properties``).  A field named like an inherited JavaScript
  property (``constructor``, ``toString``, ``__proto__``...) swallows two
  tokens and produces nothing.
* **Values.**  Double quotes are stripped; single quotes are *kept*
  (``type = 'track'`` compares with ``'track'`` including the quotes).
  ``type`` and ``event`` always compare as text (``event = 1.50`` is
  ``"1.5"``, ``type = null`` is the text ``"null"``).  ``name`` and ``userId``
  understand ``= null``/``!= null``; ``userId`` and the path fields also
  ``= true``/``= false`` (boolean only).  With ``=``/``!=`` the path fields
  compare a number literal numerically and any other value as text;
  ``!= true`` is a text comparison, so a boolean ``true`` passes it.
* **Functions.**  ``contains(field, "x")`` and ``match(field, "x*")`` /
  ``match(field, "*x")``, optionally negated with ``!``.  Their punctuation is
  not checked (the tokens in the ``(``, ``,`` and ``)`` positions are skipped
  unseen), ``type`` is not accepted as their field (no condition is made),
  and ``match`` only knows a trailing ``*`` (prefix test); anything else is a
  suffix test of the pattern minus its first character, whatever that is.
* **``!`` negates only those functions**: ``!type = "x"`` is ``type = "x"``
  and ``!(a)`` is ``(a)``.
"""

from __future__ import annotations

from reference.js_values import code_point_offset, join_utf16, string_to_number, to_js_string, utf16_units
from reference.subscriptions.nodes import Condition, EmptyGroup, Group, Node
from reference.subscriptions.tokens import (
    CONDITIONAL,
    EOS,
    IDENT,
    NUMBER,
    OPERATOR,
    PAREN_LEFT,
    PAREN_RIGHT,
    STRING,
    Token,
    syntax_error,
)

__all__ = ["parse_tokens"]

_TARGETS = {
    "type": "event-type",
    "event": "event",
    "name": "name",
    "userId": "userId",
    "context": "event-context",
    "properties": "event-property",
    "traits": "event-trait",
}
# Production looks field names up in a plain JavaScript object, so the names
# it inherits also count as fields (which then produce no condition).
_INHERITED_NAMES = frozenset(
    {
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "hasOwnProperty",
        "__lookupGetter__",
        "__lookupSetter__",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toString",
        "valueOf",
        "__proto__",
        "toLocaleString",
    }
)
_PATH_ROOTS = {"event-property": "properties", "event-trait": "traits", "event-context": "context"}
_FUNCTION_FIELDS = ("event", "name", "userId")
_FUNCTIONS = frozenset({"contains", "match"})
_NEGATED = {
    "contains": "not_contains",
    "starts_with": "not_starts_with",
    "ends_with": "not_ends_with",
}


def _token_value(token: Token) -> str | float | bool:
    """The JavaScript value a token stands for in a value position (text still in code units)."""
    if token.kind == STRING:
        text = token.value[1:] if token.value.startswith('"') else token.value
        return text[:-1] if text.endswith('"') else text
    if token.kind == NUMBER:
        return string_to_number(token.value)
    if token.kind == IDENT and token.value in ("true", "false"):
        return token.value == "true"
    return token.value


def _plain(value: str | float | bool) -> str | float | bool:
    """Back from code units to a Python string (surrogate pairs joined)."""
    return join_utf16(value) if isinstance(value, str) else value


def _path(field: str, root: str) -> str:
    return field[len(root) + 1 :] if field.startswith(root + ".") else field


def _normalize(tokens: list[Token]) -> list[Token]:
    """Join ``ident . ident`` runs into one dotted identifier, as production does before parsing."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        current = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            out
            and out[-1].kind == IDENT
            and current.kind == "dot"
            and following is not None
            and following.kind == IDENT
        ):
            previous = out.pop()
            out.append(Token(IDENT, previous.value + "." + following.value, previous.start))
            index += 2
        else:
            out.append(current)
            index += 1
    return out


class _Parser:
    """Consumes one token list (the whole subscription or one parenthesised group)."""

    def __init__(self, source: str, units: str, tokens: list[Token], group_start: int | None) -> None:
        self.source = source
        self.units = units
        self.tokens = tokens
        self.index = 0
        self.group_start = group_start

    def error(self, token: Token | None, reason: str) -> Exception:
        offset = token.start if token is not None else len(self.units)
        return syntax_error(self.source, self.units, offset, reason)

    def position(self, token: Token) -> int:
        return code_point_offset(self.units, token.start)

    def take(self) -> Token | None:
        if self.index >= len(self.tokens):
            return None
        token = self.tokens[self.index]
        self.index += 1
        return token

    def sequence(self) -> Node | None:
        """Everything up to the end of this token list; ``None`` when nothing was recognized."""
        nodes: list[Node] = []
        operator = "and"
        token = self.take()
        while token is not None and token.kind != EOS:
            if token.kind == IDENT:
                head = token.value.split(".", 1)[0]
                target = _TARGETS.get(head)
                if target is not None or head in _INHERITED_NAMES:
                    operator_token = self.take()
                    if operator_token is None:
                        raise self.error(token, f"field {join_utf16(token.value)!r} has no operator")
                    value_token = self.take()
                    if value_token is None:
                        field = join_utf16(token.value)
                        raise self.error(token, f'field {field!r} has no value (write e.g. type = "track")')
                    if target is not None:
                        nodes.append(self.condition(target, token, operator_token, value_token))
                elif token.value in _FUNCTIONS:
                    self.function(token, nodes, negate=False)
            elif token.kind == OPERATOR and token.value == "!":
                following = self.tokens[self.index] if self.index < len(self.tokens) else None
                if following is not None and following.kind == IDENT and following.value in _FUNCTIONS:
                    self.index += 1
                    self.function(following, nodes, negate=True)
            elif token.kind == PAREN_LEFT:
                nodes.append(self.group(token))
            elif token.kind == CONDITIONAL:
                operator = token.value
            token = self.take()
        if len(nodes) > 1:
            return Group(operator, tuple(nodes))
        return nodes[0] if nodes else None

    def group(self, opening: Token) -> Node:
        inner: list[Token] = []
        while True:
            token = self.take()
            if token is None:
                if self.group_start is not None:
                    raise self.error(
                        opening,
                        "'(' is never closed: production ends a group at the first ')', so parentheses"
                        " cannot be nested",
                    )
                raise self.error(opening, "'(' is never closed")
            if token.kind == PAREN_RIGHT:
                break
            inner.append(token)
        inner.append(Token(EOS, "eos", token.start))
        parsed = _Parser(self.source, self.units, inner, opening.start).sequence()
        return EmptyGroup(self.position(opening)) if parsed is None else parsed

    def condition(self, target: str, field: Token, operator_token: Token, value_token: Token) -> Condition:
        operator = operator_token.value
        raw = value_token.value
        position = self.position(field)
        text = join_utf16(to_js_string(_token_value(value_token)))
        if target in ("event-type", "event"):
            return Condition(target, operator, text, None, position)
        path = None
        if target in _PATH_ROOTS:
            path = join_utf16(_path(field.value, _PATH_ROOTS[target]))
        if operator == "!=" and raw == "null":
            return Condition(target, "exists", None, path, position)
        if operator == "=" and raw == "null":
            return Condition(target, "not_exists", None, path, position)
        if target == "name":
            return Condition(target, operator, text, None, position)
        if operator == "=" and raw in ("true", "false"):
            return Condition(target, "is_true" if raw == "true" else "is_false", None, path, position)
        if target == "userId":
            return Condition(target, operator, text, None, position)
        if value_token.kind == NUMBER and operator in ("=", "!="):
            numeric = "number_equals" if operator == "=" else "number_not_equals"
            return Condition(target, numeric, _token_value(value_token), path, position)
        return Condition(target, operator, _plain(_token_value(value_token)), path, position)

    def function(self, name_token: Token, nodes: list[Node], negate: bool) -> None:
        """``contains(field, value)`` / ``match(field, pattern)``; punctuation tokens are skipped unseen."""
        name = name_token.value
        self.take()
        field_token = self.take()
        if field_token is None:
            raise self.error(name_token, f"{name}() is missing its first argument (the field)")
        self.take()
        value_token = self.take()
        if value_token is None:
            raise self.error(name_token, f"{name}() is missing its second argument (the value)")
        self.take()
        text = to_js_string(_token_value(value_token))
        if name == "contains":
            operator, value = "contains", text
        elif value_token.value.endswith('*"'):
            operator, value = "starts_with", text[:-1]
        else:
            operator, value = "ends_with", text[1:]
        if negate:
            operator = _NEGATED[operator]
        field = field_token.value
        position = self.position(name_token)
        value = join_utf16(value)
        if field in _FUNCTION_FIELDS:
            nodes.append(Condition(field, operator, value, None, position))
        for target, root in _PATH_ROOTS.items():
            if field.startswith(root):
                nodes.append(Condition(target, operator, value, join_utf16(_path(field, root)), position))


def parse_tokens(source: str, units: str, tokens: list[Token]) -> Group:
    """The top-level group of a lexed subscription; raises SubscriptionSyntaxError."""
    parsed = _Parser(source, units, _normalize(tokens), None).sequence()
    if parsed is None:
        raise _nothing_recognized(source, units, tokens)
    if isinstance(parsed, EmptyGroup):
        raise syntax_error(
            source,
            units,
            len(utf16_units(source[: parsed.position])),
            "the parentheses hold no condition production recognizes",
        )
    return parsed if isinstance(parsed, Group) else Group("and", (parsed,))


def _nothing_recognized(source: str, units: str, tokens: list[Token]) -> Exception:
    first = tokens[0]
    if first.kind == EOS:
        return syntax_error(source, units, 0, "subscription is empty")
    return syntax_error(
        source,
        units,
        first.start,
        "no condition production recognizes: a condition starts with type, event, name, userId,"
        ' properties.*, traits.* or context.* (e.g. type = "track"), or is contains(...) or match(...)',
    )
