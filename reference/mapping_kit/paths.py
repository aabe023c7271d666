"""Dot paths into event data, read the way production's ``get`` reads them.

A path such as ``properties.products[0].sku`` splits on dots and on brackets
that hold a digit or a quote; quotes are then dropped (they do not protect a
dot).  Each step reads a property with JavaScript semantics:

* a falsy value (``0``, ``""``, ``false``, ``null``) stops the walk and is the
  result, so ``a.b`` on ``{"a": 0}`` is ``0``, not ``undefined``;
* arrays and strings answer integer indexes and ``length`` (strings by UTF-16
  code unit, as JavaScript does);
* anything else is ``undefined``.

Production would also find members inherited from JavaScript prototypes
(``constructor``, ``toString``...); here those read as ``undefined``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reference.js_json import UNDEFINED
from reference.js_values import own_property, truthy

from .objects import remove_undefined

__all__ = ["parse_path", "get_path", "compile_getter", "path_after_root_marker"]

_SEGMENT_SEPARATOR = re.compile(r"""\[(?=["'0-9])|\.|(?<=["'0-9])\]+""")

Getter = Callable[[Any], Any]


def path_after_root_marker(path: str) -> str:
    """Production removes the first ``$.`` wherever it is (``a$.b`` reads ``ab``)."""
    return path.replace("$.", "", 1)


@lru_cache(maxsize=4096)
def parse_path(path: str) -> tuple[str, ...]:
    """The property names a path visits; ``()`` means the value itself."""
    if path in ("", "."):
        return ()
    return tuple(part.replace("'", "").replace('"', "") for part in _SEGMENT_SEPARATOR.split(path) if part)


def get_path(value: Any, keys: tuple[str, ...]) -> Any:
    """Walk ``keys`` from ``value`` (``prevObj && prevObj[key]`` at every step)."""
    for key in keys:
        if type(value) is dict:
            value = value.get(key, UNDEFINED)
        elif not truthy(value):
            return value
        else:
            value = own_property(value, key)
    return value


def _copied(found: Any) -> Any:
    if type(found) is dict or type(found) is list:
        return remove_undefined(found)
    return found


def compile_getter(path: str, copy: bool = False) -> Getter:
    """A reader for ``path`` (already stripped of ``$.``), specialised for the common shapes.

    With ``copy``, an object or array found is returned as a fresh copy in
    the form production's final ``removeUndefined`` leaves it.
    """
    keys = parse_path(path)
    if len(keys) == 1:
        (key,) = keys

        def read_one(value: Any) -> Any:
            found = value.get(key, UNDEFINED) if type(value) is dict else get_path(value, keys)
            if copy and (type(found) is dict or type(found) is list):
                return remove_undefined(found)
            return found

        return read_one
    if len(keys) == 2:
        first, second = keys

        def read_two(value: Any) -> Any:
            if type(value) is dict and type(inner := value.get(first, UNDEFINED)) is dict:
                found = inner.get(second, UNDEFINED)
            else:
                found = get_path(value, keys)
            if copy and (type(found) is dict or type(found) is list):
                return remove_undefined(found)
            return found

        return read_two
    if copy:
        return lambda value: _copied(get_path(value, keys))
    return lambda value: get_path(value, keys)
