"""Concurrent writers lose nothing: threads in one process, and processes sharing a file."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from mock_cordial import create_app
from mock_cordial.pytest_plugin import running_server

THREADS = 50
CART = {
    "segmentIdKey": "segment_id",
    "segmentId": "shopper",
    "productID": "p",
    "sku": "s",
    "qty": 1,
    "category": "c",
    "name": "n",
}


def add_from_threads(make_client) -> list[int]:
    def add(n: int) -> int:
        with make_client() as client:
            answer = client.post(
                "/api/segment/addProductToCart", json={**CART, "qty": 1}, headers={"x-api-key": "k"}
            )
            return answer.status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(add, range(THREADS)))


def only_cart_quantity(state: dict) -> int:
    (contact,) = state["contacts"]
    (item,) = state["carts"][contact["cID"]]["cartitems"]
    return item["qty"]


def test_fifty_threads_adding_to_one_cart_in_process():
    app = create_app()
    statuses = add_from_threads(
        lambda: httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock")
    )
    assert statuses == [202] * THREADS
    state = app.extensions["cordial_mock"].snapshot()
    assert only_cart_quantity(state) == THREADS
    assert len(app.extensions["cordial_mock"].requests()) == THREADS


def test_two_apps_sharing_a_file_lose_nothing(tmp_path):
    """Two instances over one database file behave like two server processes."""
    db = str(tmp_path / "state.sqlite")
    apps = [create_app(db_path=db), create_app(db_path=db)]
    clients = iter(range(THREADS))

    def make_client():
        app = apps[next(clients) % 2]
        return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock")

    assert add_from_threads(make_client) == [202] * THREADS
    assert only_cart_quantity(apps[1].extensions["cordial_mock"].snapshot()) == THREADS


def test_fifty_threads_against_a_real_server_with_two_workers_and_a_file(tmp_path):
    db = tmp_path / "state.sqlite"
    with running_server(db_path=db, workers=2) as server:
        statuses = add_from_threads(lambda: httpx.Client(base_url=server.base_url, timeout=30))
        assert statuses == [202] * THREADS
        assert only_cart_quantity(server.state()) == THREADS
        assert len(server.requests(path="/api/segment/addProductToCart")) == THREADS
    # the state outlives the server
    with running_server(db_path=db) as server:
        assert only_cart_quantity(server.state()) == THREADS
