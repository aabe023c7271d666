"""Production's mapping kit: turn a mapping and an event into an action payload.

A mapping is JSON in which an object holding a single ``@``-key is a
directive (``@path``, ``@template``, ``@literal``, ``@if``, ``@arrayPath``,
``@case``, ``@replace``, ``@merge``, ``@transform``, ``@flatten``, ``@json``,
``@excludeWhenNull``, ``@liquid``); everything else is copied as is.

>>> from reference.mapping_kit import compile_mapping
>>> mapping = compile_mapping({"email": {"@path": "$.traits.email"}, "source": "segment"})
>>> mapping.resolve({"traits": {"email": "a@b.c"}})
{'email': 'a@b.c', 'source': 'segment'}

Compile once and resolve many events: :func:`compile_mapping` validates the
mapping the way production does (raising
:class:`~reference.errors.InvalidMappingError` with the place in the mapping)
and prepares every path and template; :meth:`CompiledMapping.resolve` then
only reads the event.  Values that resolve to nothing are dropped from
objects, ``null`` is kept, and an array keeps an item that resolved to
nothing as :data:`UNDEFINED` (the next pipeline step removes it; JSON would
write ``null``).  Where production's ``transform`` throws for a particular
event (``@template`` given a non-string, a Liquid error...), ``resolve``
raises :class:`~reference.errors.MappingResolutionError`.
"""

from reference.errors import InvalidMappingError, MappingResolutionError
from reference.js_json import UNDEFINED

from .compile import ROOT_DIRECTIVE_KEY, CompiledMapping, compile_mapping, transform, validate_mapping

__all__ = [
    "CompiledMapping",
    "compile_mapping",
    "transform",
    "validate_mapping",
    "UNDEFINED",
    "ROOT_DIRECTIVE_KEY",
    "InvalidMappingError",
    "MappingResolutionError",
]
