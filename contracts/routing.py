"""Matching a request path and method to an OpenAPI path template.

A path names one resource: the first path item whose template matches it
decides, and its methods are all the path has.  Concrete paths come first
(OpenAPI's rule), then templated ones with more literal segments before
fewer, so ``/v2/contacts/merge`` is never read as a contact whose key is
``merge``: ``GET /v2/contacts/merge`` is 405 (``Allow: POST``), not a
contact lookup.  No template matching is 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["RouteError", "NoSuchPath", "MethodNotAllowed", "Router", "normalise_path"]

T = TypeVar("T")

_PARAM = re.compile(r"\{([^{}/]+)\}")
_REPEATED_SLASHES = re.compile(r"/{2,}")


class RouteError(Exception):
    """A request that no operation of the contract can take."""


class NoSuchPath(RouteError):
    """No path template of the contract matches the path (HTTP 404)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no operation has the path {path!r}")
        self.path = path


class MethodNotAllowed(RouteError):
    """The path exists but not with this method (HTTP 405); ``allowed`` lists its methods."""

    def __init__(self, method: str, path: str, allowed: list[str]) -> None:
        super().__init__(f"{method} is not allowed on {path!r}; allowed: {', '.join(allowed)}")
        self.method = method
        self.path = path
        self.allowed = allowed


def normalise_path(path: str) -> str:
    """Drop a query string and fold repeated slashes.

    The destination builds URLs by concatenation, so an endpoint setting with
    a trailing slash sends ``//api/segment/...``; web servers fold that.
    """
    path = path.split("?", 1)[0].split("#", 1)[0]
    if "//" in path:
        path = _REPEATED_SLASHES.sub("/", path)
    return path or "/"


@dataclass(frozen=True)
class _Template(Generic[T]):
    template: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    by_method: dict[str, T]


class Router(Generic[T]):
    """Finds the value registered for (method, path template) given a concrete request."""

    def __init__(self, entries: Iterable[tuple[str, str, T]]) -> None:
        static: dict[str, dict[str, T]] = {}
        templated: dict[str, dict[str, T]] = {}
        for method, template, value in entries:
            table = templated if _PARAM.search(template) else static
            table.setdefault(template, {})[method.upper()] = value
        self._static = static
        compiled = [self._compile(template, methods) for template, methods in templated.items()]
        # More literal segments first, then fewer parameters: the most specific template wins.
        compiled.sort(key=lambda t: (-_literal_segments(t.template), len(t.names), t.template))
        self._templated = compiled

    @staticmethod
    def _compile(template: str, by_method: dict[str, T]) -> _Template[T]:
        names: list[str] = []
        regex = ["^"]
        position = 0
        for found in _PARAM.finditer(template):
            regex.append(re.escape(template[position : found.start()]))
            regex.append("([^/]+)")
            names.append(found.group(1))
            position = found.end()
        regex.append(re.escape(template[position:]))
        regex.append(r"\Z")
        return _Template(template, re.compile("".join(regex)), tuple(names), by_method)

    def lookup(self, method: str, path: str) -> tuple[T, dict[str, str]]:
        """The value for a request target and its path parameters; raises NoSuchPath or MethodNotAllowed.

        ``path`` may carry a query string (dropped) and repeated slashes (folded).
        """
        return self.resolve(method, normalise_path(path))

    def resolve(self, method: str, path: str) -> tuple[T, dict[str, str]]:
        """Like :meth:`lookup` for a path already decoded by a server (``?`` and ``#`` are its own)."""
        method = method.upper()
        methods = self._static.get(path)
        if methods is not None:
            value = methods.get(method)
            if value is None:
                raise MethodNotAllowed(method, path, sorted(methods))
            return value, {}
        for candidate in self._templated:
            found = candidate.pattern.match(path)
            if found is None:
                continue
            value = candidate.by_method.get(method)
            if value is None:
                raise MethodNotAllowed(method, path, sorted(candidate.by_method))
            return value, dict(zip(candidate.names, found.groups(), strict=True))
        raise NoSuchPath(path)

    def methods(self, path: str) -> list[str]:
        """The methods of the resource a decoded path names (empty when no template matches)."""
        methods = self._static.get(path)
        if methods is None:
            candidate = next((t for t in self._templated if t.pattern.match(path)), None)
            methods = candidate.by_method if candidate is not None else {}
        return sorted(methods)


def _literal_segments(template: str) -> int:
    return sum(1 for segment in template.split("/") if segment and not _PARAM.search(segment))
