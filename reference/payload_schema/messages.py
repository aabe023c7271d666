"""Validation messages worded exactly as production words them.

Production turns AJV's errors into sentences with ``@segment/ajv-human-errors``
(labels from each schema's ``title``): "Quantity must be an integer but it
was a string.", "The root value is missing the required field 'sku'.", and
joins several with a space.  Each function returns one error as a dict for
users (field, keyword, expected, found, message).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reference.js_json import dumps, type_name
from reference.js_values import to_js_string, utf16_length

__all__ = [
    "enum_error",
    "expected_types",
    "format_error",
    "join_messages",
    "length_error",
    "limit_error",
    "required_error",
    "type_error",
]

_FORMAT_LABELS = {
    "date-time": "date and time",
    "time": "time",
    "date": "date",
    "email": "email address",
    "hostname": "hostname",
    "ipv4": "IPv4 address",
    "ipv6": "IPv6 address",
    "uri": "URI",
    "uri-reference": "URI Reference",
    "uri-template": "URI-template",
    "json-pointer": "JSON Pointer",
    "relative-json-pointer": "relative JSON Pointer",
    "regex": "regular expression",
}


def _preamble(title: Any, path: str) -> str:
    if isinstance(title, str) and title:
        return title
    return "the root value" if path == "" else f"the value at {path}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def _humanize_list(items: Sequence[str], conjunction: str) -> str:
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def _value_text(value: Any) -> str:
    """``JSON.stringify(value)`` as the messages quote a value (``undefined`` when it has no JSON)."""
    try:
        return dumps(value)
    except (TypeError, OverflowError):
        return "undefined"


def _humanize_type_of(value: Any) -> str:
    name = type_name(value)
    if name in ("null", "undefined"):
        return name
    return f"{_article(name)} {name}"


def _error(path: str, keyword: str, expected: str, found: str, message: str) -> dict[str, str]:
    return {"field": path, "keyword": keyword, "expected": expected, "found": found, "message": message}


def expected_types(schema_type: str | list[str]) -> str:
    """A schema's ``type`` in words: "integer", "string or number"."""
    return _humanize_list(schema_type if isinstance(schema_type, list) else schema_type.split(","), "or")


def type_error(title: Any, path: str, schema_type: str | list[str], value: Any) -> dict[str, str]:
    expected = expected_types(schema_type)
    wanted, found = f"{_article(expected)} {expected}", _humanize_type_of(value)
    message = _sentence(f"{_preamble(title, path)} must be {wanted} but it was {found}")
    return _error(path, "type", expected, type_name(value), message)


def required_error(title: Any, path: str, key: str, key_pointer: str, expected: str) -> dict[str, str]:
    """A missing property; ``field`` points at the missing property itself."""
    message = _sentence(f"{_preamble(title, path)} is missing the required field '{key}'")
    return _error(f"{path}/{key_pointer}", "required", expected, "missing", message)


def enum_error(title: Any, path: str, allowed: Sequence[Any], value: Any) -> dict[str, str]:
    expected = "one of: " + _humanize_list([_value_text(choice) for choice in allowed], "or")
    message = _sentence(f"{_preamble(title, path)} must be {expected}")
    return _error(path, "enum", expected, _value_text(value), message)


def format_error(title: Any, path: str, schema_format: str, value: str) -> dict[str, str]:
    label = _FORMAT_LABELS.get(schema_format, schema_format)
    message = _sentence(f"{_preamble(title, path)} must be a valid {label} string but it was not")
    return _error(path, "format", f"{label} string", _value_text(value), message)


def length_error(title: Any, path: str, keyword: str, limit: int, value: str) -> dict[str, str]:
    """minLength/maxLength; the message counts UTF-16 units like ``String.length``."""
    actual = utf16_length(value)
    bound = "more" if keyword == "minLength" else "fewer"

    def characters(count: Any) -> str:
        return "character" if count == 1 else "characters"

    limit_text = to_js_string(limit)
    message = _sentence(
        f"{_preamble(title, path)} must be {limit_text} {characters(limit)} or {bound} "
        f"but it was {actual} {characters(actual)}"
    )
    return _error(path, keyword, f"{limit_text} characters or {bound}", f"{actual} characters", message)


def limit_error(title: Any, path: str, keyword: str, limit: Any, value: Any) -> dict[str, str]:
    """minimum/maximum."""
    relation = "greater" if keyword == "minimum" else "less"
    expected = f"equal to or {relation} than {to_js_string(limit)}"
    message = _sentence(f"{_preamble(title, path)} must be {expected}")
    return _error(path, keyword, expected, to_js_string(value), message)


def join_messages(errors: Sequence[dict[str, str]]) -> str:
    """``AggregateAjvError.message``: every sentence, separated by one space."""
    return " ".join(error["message"] for error in errors)
