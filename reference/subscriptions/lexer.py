"""Production's subscription lexer (Segment's FQL lexer), quirks included.

The lexer decides what a subscription means long before the parser does, and
it has habits a reader would not guess:

* ``and``, ``or`` and ``null`` are keywords only when a terminator follows
  (space, tab, newline, ``,``, ``]``, ``)`` or the end): ``or(`` is the
  identifier ``or``, not a conditional.
* A keyword cut short by the end of the text swallows what it read: ``an``
  lexes as the identifier ``a`` and ``nul`` as ``n``.
* ``!=``, ``<=`` and ``>=`` also need a terminator after them.  ``a!="x"`` is
  an error; ``a <=5`` lexes as ``<`` then ``=`` then ``5``.
* A closing quote counts only when a terminator follows it; otherwise the
  quote is read again as the opening quote of a new string, so ``"a""b"``
  is three strings (``"a"``, ``""``, ``"b"``) and ``"a"b`` is unterminated.
* Strings have no escapes; single and double quotes both delimit strings.
  Identifiers may escape any character with a backslash (``properties.a\\ b``).
* Only ASCII letters, digits, ``_``, ``-`` and ``\\`` continue an identifier,
  and one must end at a terminator, ``.``, ``(``, ``=`` or ``!``.
* Numbers are digits with at most one inner ``.``, after an optional ``-`` or
  ``+``; nothing has to separate a number from what follows (``5abc``).
* Only space, tab and newline are whitespace (a carriage return is an error).
* Lengths are counted in UTF-16 code units; a string, identifier or number of
  100,000 units or more is rejected.
"""

from __future__ import annotations

from reference.js_values import join_utf16, utf16_units
from reference.subscriptions.tokens import (
    BRACK_LEFT,
    BRACK_RIGHT,
    COMMA,
    CONDITIONAL,
    DOT,
    EOS,
    IDENT,
    NULL,
    NUMBER,
    OPERATOR,
    PAREN_LEFT,
    PAREN_RIGHT,
    STRING,
    Token,
    syntax_error,
)

__all__ = ["lex"]

_MAX_LENGTH = 100_000
_WHITESPACE = frozenset(" \t\n")
_TERMINATORS = frozenset(" \t\n,])")
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_IDENT_CHARS = _LETTERS | _DIGITS | frozenset("_-\\")
_WORD_STARTS = _LETTERS | frozenset("!=><\\_")
_IDENT_ENDINGS = frozenset(".(=!")
_PUNCTUATION = {".": DOT, "[": BRACK_LEFT, "]": BRACK_RIGHT, ",": COMMA, "(": PAREN_LEFT, ")": PAREN_RIGHT}
_KEYWORDS = {"a": ("nd", CONDITIONAL, "and"), "o": ("r", CONDITIONAL, "or"), "n": ("ull", NULL, "null")}


def _is_terminator(ch: str | None) -> bool:
    return ch is None or ch in _TERMINATORS


def _describe(ch: str | None) -> str:
    return "the end of the subscription" if ch is None else repr(ch)


class _Lexer:
    """A cursor over the code units of one subscription."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.units = utf16_units(source)
        self.pos = 0
        self.reopened_quote = -1  # a closing quote production did not accept as closing

    def error(self, unit_offset: int, reason: str) -> Exception:
        return syntax_error(self.source, self.units, unit_offset, reason)

    def next(self) -> str | None:
        """Consume one unit; at the end nothing moves and ``None`` comes back."""
        if self.pos >= len(self.units):
            return None
        ch = self.units[self.pos]
        self.pos += 1
        return ch

    def peek(self) -> str | None:
        return self.units[self.pos] if self.pos < len(self.units) else None

    def accept(self, word: str) -> bool:
        """Consume ``word`` when it is followed by a terminator.

        On a mismatch the cursor goes back, but running into the end of the
        text keeps what was consumed (production's behaviour).
        """
        consumed = 0
        read = []
        for _ in word:
            ch = self.next()
            if ch is None:
                return False
            consumed += 1
            read.append(ch)
            if ch in _TERMINATORS:
                break
        if "".join(read) == word and _is_terminator(self.peek()):
            return True
        self.pos -= consumed
        return False

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        while True:
            start = self.pos
            ch = self.next()
            if ch is None:
                out.append(Token(EOS, "eos", start))
                return out
            if ch in _WHITESPACE:
                continue
            if ch == "!":
                following = self.peek()
                if following is not None and (following in _LETTERS or following == "("):
                    out.append(Token(OPERATOR, "!", start))
                    continue
            if ch in _WORD_STARTS:
                out.append(self.word(ch, start))
            elif ch in _DIGITS or ch in "-+":
                out.append(self.number(ch, start))
            elif ch in "\"'":
                out.append(self.string(ch, start))
            elif ch in _PUNCTUATION:
                out.append(Token(_PUNCTUATION[ch], ch, start))
            else:
                raise self.error(start, f"invalid character {join_utf16(self.units[start : start + 2])[0]!r}")

    def word(self, first: str, start: int) -> Token:
        """An operator, a keyword or an identifier, depending on ``first`` and what follows."""
        if first == "=":
            return Token(OPERATOR, "=", start)
        if first == "!":
            if self.accept("="):
                return Token(OPERATOR, "!=", start)
            if self.peek() == "=":
                after = self.units[self.pos + 1] if self.pos + 1 < len(self.units) else None
                reason = f"operator '!=' must be followed by a space, ',', ')' or ']', got {_describe(after)}"
            else:
                reason = f"'!' must be followed by '=', 'contains(' or 'match(', got {_describe(self.peek())}"
            raise self.error(start, reason)
        keyword = _KEYWORDS.get(first)
        if keyword is not None and self.accept(keyword[0]):
            return Token(keyword[1], keyword[2], start)
        if first in "<>":
            return Token(OPERATOR, first + "=" if self.accept("=") else first, start)
        return self.identifier(first, start)

    def identifier(self, first: str, start: int) -> Token:
        chars: list[str] = []
        ch: str | None = first
        while True:
            if ch == "\\":
                if self.peek() is None:
                    raise self.error(self.pos, "escape character '\\' at the end has nothing to escape")
                ch = self.next()
            chars.append(ch)  # type: ignore[arg-type]
            if len(chars) >= _MAX_LENGTH:
                raise self.error(start, f"identifier is {_MAX_LENGTH:,} characters or longer")
            following = self.peek()
            if following is None or following not in _IDENT_CHARS:
                break
            ch = self.next()
        following = self.peek()
        if not (_is_terminator(following) or following in _IDENT_ENDINGS):
            raise self.error(
                self.pos,
                f"identifier {''.join(chars)!r} must end with a space, '.', '(', ')', ',', ']', '=' or '!'"
                f" but is followed by {_describe(following)}",
            )
        return Token(IDENT, "".join(chars), start)

    def number(self, first: str, start: int) -> Token:
        chars: list[str] = []
        seen_point = False
        coming = self.peek()
        while coming is not None and (coming in _DIGITS or coming == "."):
            self.next()
            chars.append(coming)
            if coming == ".":
                if _is_terminator(self.peek()):
                    raise self.error(self.pos - 1, "number ends with a decimal point")
                if seen_point:
                    raise self.error(self.pos - 1, "number has more than one decimal point")
                seen_point = True
            if len(chars) >= _MAX_LENGTH:
                raise self.error(start, f"number is {_MAX_LENGTH:,} characters or longer")
            coming = self.peek()
        return Token(NUMBER, first + "".join(chars), start)

    def string(self, quote: str, start: int) -> Token:
        chars: list[str] = []
        while self.peek() != quote:
            ch = self.next()
            if ch is None:
                raise self.error(start, self.unclosed_reason(quote, start))
            chars.append(ch)
            if len(chars) >= _MAX_LENGTH:
                raise self.error(start, f"string is {_MAX_LENGTH:,} characters or longer")
        closing = self.pos
        if not self.accept(quote):
            self.reopened_quote = closing
        return Token(STRING, quote + "".join(chars) + quote, start)

    def unclosed_reason(self, quote: str, start: int) -> str:
        if start == self.reopened_quote:
            following = self.units[start + 1] if start + 1 < len(self.units) else None
            return (
                f"closing quote {quote} is followed by {_describe(following)} instead of a space, ',', ')'"
                " or ']', so production reads it as the start of a new string, which is never closed"
            )
        return f"string is never closed (no matching {quote})"


def lex(source: str) -> list[Token]:
    """Tokens of ``source`` ending with an ``eos`` token; raises SubscriptionSyntaxError."""
    return _Lexer(source).tokens()
