"""JavaScript strings are sequences of UTF-16 code units; Python strings are code points.

Production lexes, slices, measures and compares strings in code units, so a
character outside the Basic Multilingual Plane (an emoji) counts as two and can
be cut in half.  Here a "unit string" is a Python ``str`` holding one code
point per UTF-16 code unit (astral characters spelled as their two surrogates).
"""

from __future__ import annotations

__all__ = ["to_units", "from_units", "needs_units", "unit_length", "code_point_offset"]


def needs_units(text: str) -> bool:
    """True when code-point and code-unit views of ``text`` can differ (surrogates or astral)."""
    return not text.isascii() and any(0xD800 <= ord(ch) <= 0xDFFF or ord(ch) > 0xFFFF for ch in text)


def to_units(text: str) -> str:
    """The UTF-16 code units of ``text``, one per Python character."""
    if text.isascii() or all(ord(ch) <= 0xFFFF for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(chr(0xD800 + (code >> 10)))
            out.append(chr(0xDC00 + (code & 0x3FF)))
        else:
            out.append(ch)
    return "".join(out)


def from_units(units: str) -> str:
    """Join surrogate pairs back into characters; lone surrogates stay as they are."""
    if units.isascii():
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def unit_length(text: str) -> int:
    """``text.length`` in JavaScript."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def code_point_offset(units: str, unit_offset: int) -> int:
    """Where code unit ``unit_offset`` of ``units`` falls in the original Python string."""
    return len(from_units(units[:unit_offset]))
