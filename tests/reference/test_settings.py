"""Settings: production's names and defaults, and clear errors for bad ones."""

from __future__ import annotations

import pytest

from reference import DEFAULT_ENDPOINT, InvalidSettingsError, Settings


def test_defaults_from_spec() -> None:
    settings = Settings.from_json({"apiKey": "k"})
    assert settings.endpoint == DEFAULT_ENDPOINT == "https://integrations-ingest-svc.usw1.cordial.com"
    assert settings.segment_id_key is None
    assert settings.body_keys == {}


def test_segment_id_key_is_the_first_body_key() -> None:
    assert Settings("k", segment_id_key="segment_id").body_keys == {"segmentIdKey": "segment_id"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "apiKey"),
        ({"apiKey": ""}, "apiKey"),
        ({"apiKey": 5}, "apiKey"),
        ({"apiKey": "k", "endpoint": "ftp://x"}, "endpoint"),
        ({"apiKey": "k", "endpoint": "not a url"}, "endpoint"),
        ({"apiKey": "k", "endpoint": "https://"}, "endpoint"),
        ({"apiKey": "k", "endpoint": "http://[::1"}, "endpoint"),
        ({"apiKey": "k", "segmentIdKey": 3}, "segmentIdKey"),
        ({"apiKey": "k", "apikey": "x"}, "apikey"),
    ],
)
def test_bad_settings_name_the_setting(data: dict, field: str) -> None:
    with pytest.raises(InvalidSettingsError) as info:
        Settings.from_json(data)
    assert info.value.setting == field
    assert field in info.value.message or "URL" in info.value.message


def test_trailing_slash_is_kept_as_production_does() -> None:
    assert Settings("k", endpoint="https://x.example/").endpoint == "https://x.example/"


def test_secrets_are_redacted() -> None:
    assert Settings("secret").to_json()["apiKey"] == "***"
    assert Settings("secret").to_json(show_secrets=True)["apiKey"] == "secret"
