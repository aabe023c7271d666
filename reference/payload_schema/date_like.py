"""Production's ``date-like`` string format (``datetime`` fields).

The runtime registers ``date-like`` as: parse the string with ``dayjs``; but if
the string is a number written the way JavaScript prints numbers, read it as
Unix seconds instead (a 13-digit millisecond string is also read as seconds,
because the millisecond reading is immediately overwritten).  dayjs itself
reads ``YYYY[-/]MM[-/]DD[T ]hh:mm:ss.sss``-like strings with its own pattern
(always a valid date) unless they end in ``Z``, and hands everything else to
``new Date(string)``.  Only strings are checked: numbers pass untouched.
"""

from __future__ import annotations

import math

from reference.js_dates import MAX_TIME_MS, PLAIN_ISO_TIMESTAMP, accepts_date_string
from reference.js_values import JS_WHITESPACE, number_text, string_to_number

__all__ = ["is_date_like"]

# dayjs's REGEX_PARSE,
#   /^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$/,
# as a sequence of (accepted character classes, repeat) steps: "one" must match once,
# "opt" at most once, "star" any number of times.  Matching it with a backtracking
# engine takes quadratic time on long digit runs, so it runs as a small DFA.
_DIGIT, _DATE_SEP, _SPACE_OR_T, _COLON, _DOT = range(5)
_STEPS: tuple[tuple[frozenset[int], str], ...] = (
    *[(frozenset({_DIGIT}), "one")] * 4,
    (frozenset({_DATE_SEP}), "opt"),
    *[(frozenset({_DIGIT}), "opt")] * 2,
    (frozenset({_DATE_SEP}), "opt"),
    *[(frozenset({_DIGIT}), "opt")] * 2,
    (frozenset({_SPACE_OR_T}), "star"),
    *[(frozenset({_DIGIT}), "opt")] * 2,
    (frozenset({_COLON}), "opt"),
    *[(frozenset({_DIGIT}), "opt")] * 2,
    (frozenset({_COLON}), "opt"),
    *[(frozenset({_DIGIT}), "opt")] * 2,
    (frozenset({_COLON, _DOT}), "opt"),
    (frozenset({_DIGIT}), "star"),
)
_ACCEPT = 1 << len(_STEPS)
_CHAR_CLASS = {
    **{digit: _DIGIT for digit in "0123456789"},
    "-": _DATE_SEP,
    "/": _DATE_SEP,
    **{ch: _SPACE_OR_T for ch in "Tt" + JS_WHITESPACE},
    ":": _COLON,
    ".": _DOT,
}


def _skip_optional(states: int) -> int:
    for index, (_, repeat) in enumerate(_STEPS):
        if states >> index & 1 and repeat != "one":
            states |= 1 << (index + 1)
    return states


def _step(states: int, char_class: int) -> int:
    following = 0
    for index, (classes, repeat) in enumerate(_STEPS):
        if states >> index & 1 and char_class in classes:
            following |= 1 << (index if repeat == "star" else index + 1)
    return _skip_optional(following)


def _build_transitions(start: int) -> dict[tuple[int, int], int]:
    """Every reachable (state set, character class) -> next state set; a few dozen entries."""
    table: dict[tuple[int, int], int] = {}
    pending = [start]
    while pending:
        states = pending.pop()
        for char_class in range(len(set(_CHAR_CLASS.values()))):
            following = table[(states, char_class)] = _step(states, char_class)
            if following and (following, 0) not in table and following not in pending:
                pending.append(following)
    return table


_START = _skip_optional(1)
_TRANSITIONS = _build_transitions(_START)


def _matches_dayjs_pattern(text: str) -> bool:
    states = _START
    for ch in text:
        char_class = _CHAR_CLASS.get(ch)
        if char_class is None:
            return False
        states = _TRANSITIONS[(states, char_class)]
        if not states:
            return False
    return bool(states & _ACCEPT)


def _dayjs_accepts(text: str) -> bool:
    if not text.endswith(("Z", "z")) and _matches_dayjs_pattern(text):
        return True
    return accepts_date_string(text)


def is_date_like(text: str) -> bool:
    """Whether production's ``date-like`` format accepts this string."""
    if PLAIN_ISO_TIMESTAMP.fullmatch(text) is not None:
        return True  # the usual event timestamp: not a plain number, always a valid date
    value = string_to_number(text)
    if number_text(value) == text:  # String(Number(text)) === text
        # dayjs.unix(n) is new Date(n * 1000): valid while within the Date range.
        milliseconds = value * 1000
        return math.isfinite(milliseconds) and abs(milliseconds) <= MAX_TIME_MS
    return _dayjs_accepts(text)
