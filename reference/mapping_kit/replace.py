"""``@replace``: production escapes the pattern into a regular expression, so it
is a literal search, then calls ``String.prototype.replace``.

Two JavaScript details show through and are kept: the replacement string's
``$$``, ``$&``, ``$``` and ``$'`` patterns, and case-insensitive matching that
folds UTF-16 code units the way a non-Unicode ``RegExp`` with the ``i`` flag
does (upper-casing, never mapping a non-ASCII character to an ASCII one).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from reference.js_values import join_utf16, utf16_units

__all__ = ["compile_replacer"]

Replacer = Callable[[str], str]


@lru_cache(maxsize=4096)
def _canonical_unit(unit: str) -> str:
    if "\ud800" <= unit <= "\udfff":
        return unit
    upper = unit.upper()
    if len(upper) != 1 or (ord(unit) >= 128 and ord(upper) < 128):
        return unit
    return upper


def _canonical(text: str) -> str:
    if text.isascii():
        return text.upper()
    return "".join(_canonical_unit(unit) for unit in text)


def _compile_substitution(replacement: str) -> list[str | int]:
    """Replacement text as literal pieces and markers: 0 match, 1 before, 2 after."""
    parts: list[str | int] = []
    literal: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        following = replacement[index + 1 : index + 2]
        if char == "$" and following in ("$", "&", "`", "'"):
            if following == "$":
                literal.append("$")
            else:
                parts.append("".join(literal))
                literal = []
                parts.append({"&": 0, "`": 1, "'": 2}[following])
            index += 2
            continue
        literal.append(char)
        index += 1
    parts.append("".join(literal))
    return [part for part in parts if part != ""]


def compile_replacer(pattern: str, replacement: str, replace_all: bool, ignore_case: bool) -> Replacer:
    """Replace ``pattern`` (a literal) in a string, as production's ``@replace`` does."""
    units_pattern = utf16_units(pattern)
    needle = _canonical(units_pattern) if ignore_case else units_pattern
    substitution = _compile_substitution(replacement)
    plain = all(isinstance(part, str) for part in substitution)
    plain_text = "".join(part for part in substitution if isinstance(part, str))

    def replace(value: str) -> str:
        units = utf16_units(value)
        haystack = _canonical(units) if ignore_case else units
        out: list[str] = []
        position = 0
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            out.append(units[position:start])
            if plain:
                out.append(plain_text)
            else:
                for part in substitution:
                    if isinstance(part, str):
                        out.append(part)
                    elif part == 0:
                        out.append(units[start:end])
                    elif part == 1:
                        out.append(units[:start])
                    else:
                        out.append(units[end:])
            position = end
            if not replace_all:
                break
            start = haystack.find(needle, position)
        if position == 0 and not out:
            return value
        out.append(units[position:])
        return join_utf16("".join(out))

    return replace
