"""The structural checks liquidjs makes before anything renders.

liquidjs first cuts the template into text, ``{{ output }}`` and ``{% tag %}``
tokens (an unclosed one is a ``TokenizationError``), then parses: a tag it
does not know is ``tag "x" not found``, a disabled one ``tag "for" is
disabled``, and a block that reaches the end of the template ``tag {% if x %}
not closed``.  The first of these, in liquidjs's order, is reported with its
message and offset; python-liquid then parses the rest of the syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reference.js_json import dumps

__all__ = ["LiquidStructureError", "check_structure", "KNOWN_TAGS", "DISABLED_TAGS"]

DISABLED_TAGS = frozenset({"case", "for", "include", "layout", "render", "tablerow"})
KNOWN_TAGS = (
    frozenset(
        {
            "assign",
            "capture",
            "comment",
            "decrement",
            "increment",
            "cycle",
            "if",
            "block",
            "raw",
            "unless",
            "break",
            "continue",
            "echo",
            "liquid",
            "#",
        }  # fmt: skip
    )
    | DISABLED_TAGS
)
#: Block tags whose body liquidjs parses, with the inner tags each one handles itself.
_BLOCKS = {
    "if": {"elsif", "else", "endif"},
    "unless": {"elsif", "else", "endunless"},
    "capture": {"endcapture"},
    "block": {"endblock"},
}
_END = {"if": "endif", "unless": "endunless", "capture": "endcapture", "block": "endblock"}
_WORD = re.compile(r"[A-Za-z0-9_\-\u0080-\U0010ffff]*")
_BLANK = " \t\n\v\f\r"


class LiquidStructureError(Exception):
    """liquidjs's message and the offset it reports it at."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class _Tag:
    name: str
    begin: int
    end: int
    text: str


def _snapshot(source: str, begin: int) -> str:
    rest = source[begin:]
    return dumps(rest[:29] + "..." if len(rest) > 32 else rest)


def _tag_name(source: str, begin: int, end: int) -> str:
    inner_start = begin + 2
    inner_end = end - 2
    if inner_start < inner_end and source[inner_start] == "-":
        inner_start += 1
    position = inner_start
    while position < inner_end and source[position] in _BLANK:
        position += 1
    if position < inner_end and source[position] == "#":
        return "#"
    match = _WORD.match(source, position, inner_end)
    return match.group(0) if match else ""


def _find_output_end(source: str, begin: int) -> int:
    """The end of ``{{ ... }}`` (quotes may hold ``}}``), or -1."""
    position = begin
    while position < len(source):
        char = source[position]
        if char in "'\"":
            closing = source.find(char, position + 1)
            position = len(source) if closing < 0 else closing + 1
            continue
        position += 1
        if source.startswith("}}", position - 2) and position - 2 >= begin + 2:
            return position
    return -1


def _tokenize(source: str) -> list[_Tag]:
    """Tag tokens in order; raises for an output, tag or raw block that never closes."""
    tags: list[_Tag] = []
    position = 0
    size = len(source)
    while position < size:
        tag_at = source.find("{%", position)
        output_at = source.find("{{", position)
        starts = [at for at in (tag_at, output_at) if at >= 0]
        if not starts:
            break
        begin = min(starts)
        if begin == output_at:
            end = _find_output_end(source, begin)
            if end < 0:
                raise LiquidStructureError(f"output {_snapshot(source, begin)} not closed", begin)
            position = end
            continue
        close = source.find("%}", begin + 1)
        if close < 0:
            raise LiquidStructureError(f"tag {_snapshot(source, begin)} not closed", begin)
        end = close + 2
        name = _tag_name(source, begin, end)
        tags.append(_Tag(name, begin, end, source[begin:end]))
        position = end
        if name == "raw":
            raw_end = re.compile(r"\{%-?[ \t\n\v\f\r]*endraw[^%]*%\}").search(source, end)
            if raw_end is None:
                raise LiquidStructureError(f"raw {_snapshot(source, begin)} not closed", end)
            position = raw_end.end()
    return tags


def check_structure(source: str) -> None:
    """Raise :class:`LiquidStructureError` for the first structural error liquidjs reports."""
    tags = _tokenize(source)
    open_blocks: list[_Tag] = []
    index = 0
    while index < len(tags):
        tag = tags[index]
        index += 1
        if open_blocks and tag.name in _BLOCKS[open_blocks[-1].name]:
            if tag.name == _END[open_blocks[-1].name]:
                open_blocks.pop()
            continue
        if tag.name == "comment":
            while index < len(tags) and tags[index].name != "endcomment":
                index += 1
            if index == len(tags):
                raise LiquidStructureError(f"tag {tag.text} not closed", tag.begin)
            index += 1
            continue
        if tag.name not in KNOWN_TAGS:
            raise LiquidStructureError(f'tag "{tag.name}" not found', tag.begin)
        if tag.name in DISABLED_TAGS:
            raise LiquidStructureError(f'tag "{tag.name}" is disabled', tag.begin)
        if tag.name in _BLOCKS:
            open_blocks.append(tag)
    if open_blocks:
        tag = open_blocks[-1]
        raise LiquidStructureError(f"tag {tag.text} not closed", tag.begin)
