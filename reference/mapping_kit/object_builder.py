"""Straight-line builders for plain mapping objects (the hot path of every action).

Default mappings are mostly objects of constants and ``{"@path": "$.a.b"}``
reads.  Calling one resolver per key costs a Python call each; instead each
object is compiled once into a small generated function that reads those
paths inline and only calls resolvers for the other directives.  Keys and
values reach the generated code as bound names, never as source text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reference.js_json import UNDEFINED

from .objects import remove_undefined
from .paths import get_path

__all__ = ["Constant", "StaticPath", "Dynamic", "build_object_resolver"]

Resolver = Callable[[Any], Any]


@dataclass(frozen=True)
class Constant:
    """A JSON scalar copied as is."""

    value: Any


@dataclass(frozen=True)
class StaticPath:
    """``{"@path": ...}`` with a literal path, as the property names it visits."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Dynamic:
    """Any other mapping value, resolved by its compiled resolver."""

    resolver: Resolver


Entry = Constant | StaticPath | Dynamic


def _read_lines(index: int, keys: tuple[str, ...]) -> list[str]:
    if not keys:
        return ["    v = payload"]
    if len(keys) == 1:
        return [f"    v = payload.get(a{index}, U) if direct else get_path(payload, p{index})"]
    if len(keys) == 2:
        return [
            "    if direct:",
            f"        v = payload.get(a{index}, U)",
            f"        v = v.get(b{index}, U) if type(v) is dict else get_path(v, q{index})",
            "    else:",
            f"        v = get_path(payload, p{index})",
        ]
    return [f"    v = get_path(payload, p{index})"]


def build_object_resolver(entries: list[tuple[str, Entry]], clean: bool) -> Resolver:
    """Compile an object whose keys resolve in order; ``clean`` drops undefined and copies containers."""
    names: dict[str, Any] = {"U": UNDEFINED, "get_path": get_path, "copy": remove_undefined}
    lines = ["def build(payload):", "    out = {}", "    direct = type(payload) is dict"]
    for index, (key, entry) in enumerate(entries):
        names[f"k{index}"] = key
        if isinstance(entry, Constant):
            names[f"c{index}"] = entry.value
            lines.append(f"    out[k{index}] = c{index}")
            continue
        if isinstance(entry, StaticPath):
            keys = entry.keys
            names[f"p{index}"] = keys
            if keys:
                names[f"a{index}"] = keys[0]
            if len(keys) == 2:
                names[f"b{index}"] = keys[1]
                names[f"q{index}"] = keys[1:]
            lines.extend(_read_lines(index, keys))
            if clean:
                lines.append("    if type(v) is dict or type(v) is list:")
                lines.append("        v = copy(v)")
        else:
            names[f"n{index}"] = entry.resolver
            lines.append(f"    v = n{index}(payload)")
        if clean:
            lines.append("    if v is not U:")
            lines.append(f"        out[k{index}] = v")
        else:
            lines.append(f"    out[k{index}] = v")
    lines.append("    return out")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<mapping object>", "exec"), names, namespace)  # noqa: S102
    return namespace["build"]
