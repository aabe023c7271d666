"""The pytest fixtures the package offers through its ``pytest11`` entry point."""

from __future__ import annotations

from flask import Flask

from mock_cordial.control import MockControl


def test_the_plugin_is_registered(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("cordial_mock")


def test_cordial_mock_gives_app_clients_and_control(cordial_mock):
    assert isinstance(cordial_mock.app, Flask)
    assert isinstance(cordial_mock.control, MockControl)
    assert cordial_mock.ingest("upsertContact", {"segmentId": "u"}).status_code == 202
    (shown,) = cordial_mock.rest.get("/contacts").json()
    assert cordial_mock.state()["contacts"][0]["cID"] == shown["cID"]
    assert [e["path"] for e in cordial_mock.control.requests()] == [
        "/api/segment/upsertContact",
        "/v2/contacts",
    ]


def test_cordial_mock_is_fresh_for_each_test(cordial_mock):
    assert cordial_mock.state()["contacts"] == []
    assert cordial_mock.control.requests() == []


def test_cordial_server_serves_over_loopback(cordial_server):
    assert cordial_server.base_url.startswith("http://127.0.0.1:")
    assert cordial_server.ingest("upsertContact", {"segmentId": "u"}).status_code == 202
    assert [c["segmentIds"] for c in cordial_server.state()["contacts"]] == [["u"]]
    assert cordial_server.requests(status="202")[0]["path"] == "/api/segment/upsertContact"
    assert cordial_server.process.poll() is None
