"""JavaScript's built-in objects, as far as a subscription's property path can reach them.

Production reads ``properties.a.b`` with plain JavaScript property access, so a
path also finds what every value inherits: ``properties.constructor`` is the
``Object`` function on any object, ``properties.items.length`` is an array's
length, ``properties.sku.toString`` exists on every string, and
``properties.constructor.name`` is the string ``"Object"``.  This table holds
every built-in object reachable that way (the prototypes of objects, arrays,
strings, numbers and booleans, their constructors and methods), with each own
property's value; it was read from Node.js 20, the runtime of the production
oracle, and ``tests/reference/test_subscriptions_builtins.py`` compares it with
a live Node.js when one is available.

Two properties are accessors: ``__proto__`` answers the prototype of the value
it is read on, and reading ``caller`` or ``arguments`` on a built-in function
throws a TypeError.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "JsObject",
    "Accessor",
    "PROTOTYPE_GETTER",
    "RESTRICTED_PROPERTY",
    "OBJECT_PROTOTYPE",
    "ARRAY_PROTOTYPE",
    "STRING_PROTOTYPE",
    "NUMBER_PROTOTYPE",
    "BOOLEAN_PROTOTYPE",
    "FUNCTION_PROTOTYPE",
]


class JsObject:
    """A built-in object (a prototype or a function): own properties and a prototype."""

    __slots__ = ("label", "own", "proto")

    def __init__(self, label: str) -> None:
        self.label = label
        self.own: dict[str, Any] = {}
        self.proto: JsObject | None = None

    def __repr__(self) -> str:
        return f"<JavaScript {self.label}>"


class Accessor:
    """A property computed on access instead of stored."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<accessor {self.name}>"


#: ``Object.prototype.__proto__``: the prototype of the value it is read on.
PROTOTYPE_GETTER = Accessor("__proto__")
#: ``Function.prototype.caller`` / ``.arguments``: throw when read on a built-in function.
RESTRICTED_PROPERTY = Accessor("caller/arguments")


def _function(name: str, length: int) -> JsObject:
    """A built-in method: a function object whose own properties are ``length`` and ``name``."""
    fn = JsObject(f"function {name}" if name else "function")
    fn.own.update({"length": length, "name": name})
    fn.proto = FUNCTION_PROTOTYPE
    return fn


OBJECT_PROTOTYPE = JsObject("Object.prototype")
ARRAY_PROTOTYPE = JsObject("Array.prototype")
STRING_PROTOTYPE = JsObject("String.prototype")
NUMBER_PROTOTYPE = JsObject("Number.prototype")
BOOLEAN_PROTOTYPE = JsObject("Boolean.prototype")
FUNCTION_PROTOTYPE = JsObject("Function.prototype")
OBJECT_CONSTRUCTOR = JsObject("Object")
ARRAY_CONSTRUCTOR = JsObject("Array")
STRING_CONSTRUCTOR = JsObject("String")
NUMBER_CONSTRUCTOR = JsObject("Number")
BOOLEAN_CONSTRUCTOR = JsObject("Boolean")
FUNCTION_CONSTRUCTOR = JsObject("Function")

OBJECT_PROTOTYPE.proto = None
ARRAY_PROTOTYPE.proto = OBJECT_PROTOTYPE
STRING_PROTOTYPE.proto = OBJECT_PROTOTYPE
NUMBER_PROTOTYPE.proto = OBJECT_PROTOTYPE
BOOLEAN_PROTOTYPE.proto = OBJECT_PROTOTYPE
FUNCTION_PROTOTYPE.proto = OBJECT_PROTOTYPE
OBJECT_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE
ARRAY_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE
STRING_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE
NUMBER_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE
BOOLEAN_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE
FUNCTION_CONSTRUCTOR.proto = FUNCTION_PROTOTYPE

OBJECT_PROTOTYPE.own.update(
    {
        "constructor": OBJECT_CONSTRUCTOR,
        "__defineGetter__": _function("__defineGetter__", 2),
        "__defineSetter__": _function("__defineSetter__", 2),
        "hasOwnProperty": _function("hasOwnProperty", 1),
        "__lookupGetter__": _function("__lookupGetter__", 1),
        "__lookupSetter__": _function("__lookupSetter__", 1),
        "isPrototypeOf": _function("isPrototypeOf", 1),
        "propertyIsEnumerable": _function("propertyIsEnumerable", 1),
        "toString": _function("toString", 0),
        "valueOf": _function("valueOf", 0),
        "__proto__": PROTOTYPE_GETTER,
        "toLocaleString": _function("toLocaleString", 0),
    }
)
ARRAY_PROTOTYPE.own.update(
    {
        "length": 0,
        "constructor": ARRAY_CONSTRUCTOR,
        "at": _function("at", 1),
        "concat": _function("concat", 1),
        "copyWithin": _function("copyWithin", 2),
        "fill": _function("fill", 1),
        "find": _function("find", 1),
        "findIndex": _function("findIndex", 1),
        "findLast": _function("findLast", 1),
        "findLastIndex": _function("findLastIndex", 1),
        "lastIndexOf": _function("lastIndexOf", 1),
        "pop": _function("pop", 0),
        "push": _function("push", 1),
        "reverse": _function("reverse", 0),
        "shift": _function("shift", 0),
        "unshift": _function("unshift", 1),
        "slice": _function("slice", 2),
        "sort": _function("sort", 1),
        "splice": _function("splice", 2),
        "includes": _function("includes", 1),
        "indexOf": _function("indexOf", 1),
        "join": _function("join", 1),
        "keys": _function("keys", 0),
        "entries": _function("entries", 0),
        "values": _function("values", 0),
        "forEach": _function("forEach", 1),
        "filter": _function("filter", 1),
        "flat": _function("flat", 0),
        "flatMap": _function("flatMap", 1),
        "map": _function("map", 1),
        "every": _function("every", 1),
        "some": _function("some", 1),
        "reduce": _function("reduce", 1),
        "reduceRight": _function("reduceRight", 1),
        "toLocaleString": _function("toLocaleString", 0),
        "toString": _function("toString", 0),
        "toReversed": _function("toReversed", 0),
        "toSorted": _function("toSorted", 1),
        "toSpliced": _function("toSpliced", 2),
        "with": _function("with", 2),
    }
)
STRING_PROTOTYPE.own.update(
    {
        "length": 0,
        "constructor": STRING_CONSTRUCTOR,
        "anchor": _function("anchor", 1),
        "at": _function("at", 1),
        "big": _function("big", 0),
        "blink": _function("blink", 0),
        "bold": _function("bold", 0),
        "charAt": _function("charAt", 1),
        "charCodeAt": _function("charCodeAt", 1),
        "codePointAt": _function("codePointAt", 1),
        "concat": _function("concat", 1),
        "endsWith": _function("endsWith", 1),
        "fontcolor": _function("fontcolor", 1),
        "fontsize": _function("fontsize", 1),
        "fixed": _function("fixed", 0),
        "includes": _function("includes", 1),
        "indexOf": _function("indexOf", 1),
        "isWellFormed": _function("isWellFormed", 0),
        "italics": _function("italics", 0),
        "lastIndexOf": _function("lastIndexOf", 1),
        "link": _function("link", 1),
        "localeCompare": _function("localeCompare", 1),
        "match": _function("match", 1),
        "matchAll": _function("matchAll", 1),
        "normalize": _function("normalize", 0),
        "padEnd": _function("padEnd", 1),
        "padStart": _function("padStart", 1),
        "repeat": _function("repeat", 1),
        "replace": _function("replace", 2),
        "replaceAll": _function("replaceAll", 2),
        "search": _function("search", 1),
        "slice": _function("slice", 2),
        "small": _function("small", 0),
        "split": _function("split", 2),
        "strike": _function("strike", 0),
        "sub": _function("sub", 0),
        "substr": _function("substr", 2),
        "substring": _function("substring", 2),
        "sup": _function("sup", 0),
        "startsWith": _function("startsWith", 1),
        "toString": _function("toString", 0),
        "toWellFormed": _function("toWellFormed", 0),
        "trim": _function("trim", 0),
        "trimStart": _function("trimStart", 0),
        "trimLeft": _function("trimStart", 0),
        "trimEnd": _function("trimEnd", 0),
        "trimRight": _function("trimEnd", 0),
        "toLocaleLowerCase": _function("toLocaleLowerCase", 0),
        "toLocaleUpperCase": _function("toLocaleUpperCase", 0),
        "toLowerCase": _function("toLowerCase", 0),
        "toUpperCase": _function("toUpperCase", 0),
        "valueOf": _function("valueOf", 0),
    }
)
NUMBER_PROTOTYPE.own.update(
    {
        "constructor": NUMBER_CONSTRUCTOR,
        "toExponential": _function("toExponential", 1),
        "toFixed": _function("toFixed", 1),
        "toPrecision": _function("toPrecision", 1),
        "toString": _function("toString", 1),
        "valueOf": _function("valueOf", 0),
        "toLocaleString": _function("toLocaleString", 0),
    }
)
BOOLEAN_PROTOTYPE.own.update(
    {
        "constructor": BOOLEAN_CONSTRUCTOR,
        "toString": _function("toString", 0),
        "valueOf": _function("valueOf", 0),
    }
)
FUNCTION_PROTOTYPE.own.update(
    {
        "length": 0,
        "name": "",
        "arguments": RESTRICTED_PROPERTY,
        "caller": RESTRICTED_PROPERTY,
        "constructor": FUNCTION_CONSTRUCTOR,
        "apply": _function("apply", 2),
        "bind": _function("bind", 1),
        "call": _function("call", 1),
        "toString": _function("toString", 0),
    }
)
OBJECT_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "Object",
        "prototype": OBJECT_PROTOTYPE,
        "assign": _function("assign", 2),
        "getOwnPropertyDescriptor": _function("getOwnPropertyDescriptor", 2),
        "getOwnPropertyDescriptors": _function("getOwnPropertyDescriptors", 1),
        "getOwnPropertyNames": _function("getOwnPropertyNames", 1),
        "getOwnPropertySymbols": _function("getOwnPropertySymbols", 1),
        "hasOwn": _function("hasOwn", 2),
        "is": _function("is", 2),
        "preventExtensions": _function("preventExtensions", 1),
        "seal": _function("seal", 1),
        "create": _function("create", 2),
        "defineProperties": _function("defineProperties", 2),
        "defineProperty": _function("defineProperty", 3),
        "freeze": _function("freeze", 1),
        "getPrototypeOf": _function("getPrototypeOf", 1),
        "setPrototypeOf": _function("setPrototypeOf", 2),
        "isExtensible": _function("isExtensible", 1),
        "isFrozen": _function("isFrozen", 1),
        "isSealed": _function("isSealed", 1),
        "keys": _function("keys", 1),
        "entries": _function("entries", 1),
        "fromEntries": _function("fromEntries", 1),
        "values": _function("values", 1),
    }
)
ARRAY_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "Array",
        "prototype": ARRAY_PROTOTYPE,
        "isArray": _function("isArray", 1),
        "from": _function("from", 1),
        "of": _function("of", 0),
    }
)
STRING_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "String",
        "prototype": STRING_PROTOTYPE,
        "fromCharCode": _function("fromCharCode", 1),
        "fromCodePoint": _function("fromCodePoint", 1),
        "raw": _function("raw", 1),
    }
)
NUMBER_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "Number",
        "prototype": NUMBER_PROTOTYPE,
        "isFinite": _function("isFinite", 1),
        "isInteger": _function("isInteger", 1),
        "isNaN": _function("isNaN", 1),
        "isSafeInteger": _function("isSafeInteger", 1),
        "parseFloat": _function("parseFloat", 1),
        "parseInt": _function("parseInt", 2),
        "MAX_VALUE": 1.7976931348623157e308,
        "MIN_VALUE": 5e-324,
        "NaN": math.nan,
        "NEGATIVE_INFINITY": -math.inf,
        "POSITIVE_INFINITY": math.inf,
        "MAX_SAFE_INTEGER": 9007199254740991,
        "MIN_SAFE_INTEGER": -9007199254740991,
        "EPSILON": 2.220446049250313e-16,
    }
)
BOOLEAN_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "Boolean",
        "prototype": BOOLEAN_PROTOTYPE,
    }
)
FUNCTION_CONSTRUCTOR.own.update(
    {
        "length": 1,
        "name": "Function",
        "prototype": FUNCTION_PROTOTYPE,
    }
)
