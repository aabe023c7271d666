"""``@template`` strings: ``{{path}}`` and ``{{{path}}}`` placeholders.

Production renders in two passes: triple-brace placeholders first, then
double-brace placeholders over the *result*, so text produced by a triple
placeholder can itself contain placeholders that the second pass fills.  A
placeholder's path is trimmed and read like ``@path`` (without removing
``$.``); ``null`` and ``undefined`` render as nothing and every other value as
``String(value)`` (``[object Object]`` for objects, comma-joined arrays).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reference.js_json import UNDEFINED
from reference.js_values import join_utf16, js_trim, to_js_string

from .paths import compile_getter

__all__ = ["compile_template", "render_template"]

_TRIPLE = re.compile(r"\{\{\{([^}]+)\}\}\}")
_DOUBLE = re.compile(r"\{\{([^}]+)\}\}")

Renderer = Callable[[Any], str]


def _placeholder_text(value: Any) -> str:
    if value is None or value is UNDEFINED:
        return ""
    return to_js_string(value)


def _compile_pass(pattern: re.Pattern[str], template: str) -> list[Any] | None:
    """Literal text and getters in order, or None when the pattern does not occur."""
    parts: list[Any] = []
    position = 0
    for match in pattern.finditer(template):
        parts.append(template[position : match.start()])
        parts.append(compile_getter(js_trim(match.group(1))))
        position = match.end()
    if not parts:
        return None
    parts.append(template[position:])
    return parts


def _render_parts(parts: list[Any], data: Any) -> str:
    return join_utf16(
        "".join(part if isinstance(part, str) else _placeholder_text(part(data)) for part in parts)
    )


@lru_cache(maxsize=1024)
def compile_template(template: str) -> Renderer:
    """Parse ``template`` once; the result renders it against a payload."""
    triple = _compile_pass(_TRIPLE, template)
    if triple is None:
        double = _compile_pass(_DOUBLE, template)
        if double is None:
            return lambda data: template
        return lambda data: _render_parts(double, {} if data is UNDEFINED else data)

    def render_both_passes(data: Any) -> str:
        if data is UNDEFINED:
            data = {}
        first = _render_parts(triple, data)
        second = _compile_pass(_DOUBLE, first)
        return first if second is None else _render_parts(second, data)

    return render_both_passes


def render_template(template: str, data: Any) -> str:
    """Render ``template`` against ``data`` (compiling it first, with a cache)."""
    return compile_template(template)(data)
