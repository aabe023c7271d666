"""The small value rules the state relies on: dates, primary keys, JSON bodies."""

from __future__ import annotations

import pytest

from mock_cordial.bodies import BadJson, is_json_media_type, parse_json
from mock_cordial.models.identity import ATTRIBUTE, CONTACT_ID, EMAIL, parse_primary_key
from mock_cordial.models.values import parse_datetime


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-11-02T09:17:12.500Z", "2026-11-02T09:17:12.500Z"),
        ("2026-11-02T10:17:12+01:00", "2026-11-02T09:17:12.000Z"),
        ("2026-11-02", "2026-11-02T00:00:00.000Z"),
        ("1700000000", "2023-11-14T22:13:20.000Z"),
        (1700000000, "2023-11-14T22:13:20.000Z"),
        (1700000000123, "2023-11-14T22:13:20.123Z"),
        ("Tue, 14 Nov 2023 22:13:20 GMT", "2023-11-14T22:13:20.000Z"),
    ],
)
def test_dates_are_read_like_productions_date_like_values(value, shown):
    assert parse_datetime(value)[0] == shown


@pytest.mark.parametrize("value", ["yesterday", "", "0000-00-00", True, None, {"a": 1}, 1e300])
def test_unreadable_dates_are_none(value):
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("key", "kind", "name", "value"),
    [
        ("email:Ada@Example.com", EMAIL, "", "ada@example.com"),
        ("channels.email.address:a@b.c", EMAIL, "", "a@b.c"),
        ("a@b.c", EMAIL, "", "a@b.c"),
        ("cID:5f5f89b88b265d3b6563c3b5", CONTACT_ID, "", "5f5f89b88b265d3b6563c3b5"),
        ("5f5f89b88b265d3b6563c3b5", CONTACT_ID, "", "5f5f89b88b265d3b6563c3b5"),
        ("customerId:C:1", ATTRIBUTE, "customerId", "C:1"),
        ('"custID": "ID1234"', ATTRIBUTE, "custID", "ID1234"),
    ],
)
def test_primary_keys(key, kind, name, value):
    ident = parse_primary_key(key)
    assert (ident.kind, ident.name, ident.value) == (kind, name, value)


@pytest.mark.parametrize("key", ["", "  ", "email:", ":x", "custID:  "])
def test_keys_that_name_nobody(key):
    assert parse_primary_key(key) is None


def test_json_bodies_follow_json_parse():
    assert parse_json(b'{"a": 1, "a": 2, "big": 12345678901234567890}') == {
        "a": 2,
        "big": 12345678901234567000.0,
    }
    assert parse_json('"caf\u00e9 \\ud83d\\ude00"'.encode()) == "caf\u00e9 \U0001f600"
    assert parse_json(b'{"\\udc00": ["a\\ud83d", "\\ud83d\\ude00"]}') == {"\ufffd": ["a\ufffd", "\U0001f600"]}
    for raw in (b"NaN", b"[1e400]", b"{", b"\xc3", b"1" * 500, b"[" * 65 + b"]" * 65):
        with pytest.raises(BadJson):
            parse_json(raw)
    assert parse_json(b"[" * 64 + b"]" * 64) is not None


def test_json_media_types():
    assert is_json_media_type("application/json")
    assert is_json_media_type("Application/JSON; charset=utf-8")
    assert not is_json_media_type("application/problem+json")
    assert not is_json_media_type("text/json")
    assert not is_json_media_type(None)
