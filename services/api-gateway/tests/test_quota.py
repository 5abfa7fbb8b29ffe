"""Package calls: atomic reservation under concurrency, 001 vs 002, refunds (ADR 0003)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import aiohttp
import httpx

EXPIRED = {
    "ok": 0,
    "code": "customer_api_001",
    "error": {
        "title": "Πρόβλημα στη δημιουργία του παραστατικού",
        "message": "Έχουν λήξει οι υπολειπόμενες κλήσεις σας",
    },
}
USED_UP = {
    "ok": 0,
    "code": "customer_api_002",
    "error": {
        "title": "Πρόβλημα στη δημιουργία του παραστατικού",
        "message": "Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης",
    },
}


async def post(http: httpx.AsyncClient, url: str, token: str, query: str = "") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return await http.post(f"{url}/invoice-data{query}", headers=headers, content=b'{"aa":"1"}')


async def burst(
    session: aiohttp.ClientSession, url: str, token: str, count: int
) -> list[tuple[int, Any]]:
    """``count`` POSTs at once; (status, body) of each."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def one() -> tuple[int, Any]:
        async with session.post(f"{url}/invoice-data", headers=headers, data=b"{}") as resp:
            return resp.status, await resp.json(content_type=None)

    return await asyncio.gather(*(one() for _ in range(count)))


async def customer_with(catalog: Any, *packages: tuple[int, int, int, int]) -> tuple[str, str]:
    customer = await catalog.customer(*packages)
    token, _ = await catalog.token(customer)
    return customer, token


async def test_concurrent_posts_never_overspend(
    burst_http: aiohttp.ClientSession, gateway: str, catalog: Any
) -> None:
    # 100 calls left of 150; 200 ERP calls at once.
    customer, token = await customer_with(catalog, (150, 50, -1, 30))
    replies = await burst(burst_http, gateway, token, 200)
    assert Counter(status for status, _ in replies) == {200: 100, 400: 100}
    assert all(body == USED_UP for status, body in replies if status == 400)
    assert await catalog.calls_used(customer) == [150]


async def test_spills_over_to_the_next_package(
    burst_http: aiohttp.ClientSession, gateway: str, catalog: Any
) -> None:
    # Two valid packages: the one ending first pays first, then the other, concurrently.
    customer, token = await customer_with(catalog, (10, 0, -1, 5), (10, 0, -1, 30))
    replies = await burst(burst_http, gateway, token, 25)
    assert Counter(status for status, _ in replies) == {200: 20, 400: 5}
    assert await catalog.calls_used(customer) == [10, 10]


async def test_expired_vs_used_up(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    _, ended = await customer_with(catalog, (10, 0, -30, -1))
    _, not_started = await customer_with(catalog, (10, 0, 2, 30))
    _, none = await customer_with(catalog)
    _, used_up = await customer_with(catalog, (10, 10, -1, 30), (10, 3, -30, -1))
    for token in (ended, not_started, none):
        resp = await post(http, gateway, token)
        assert (resp.status_code, resp.json()) == (400, EXPIRED)
    resp = await post(http, gateway, used_up)
    assert (resp.status_code, resp.json()) == (400, USED_UP)


async def test_the_erps_lang_gives_english_with_the_same_code(
    http: httpx.AsyncClient, gateway: str, catalog: Any
) -> None:
    _, used_up = await customer_with(catalog, (1, 1, -1, 30))
    headers = {"Authorization": f"Bearer {used_up}", "Content-Type": "application/json"}
    body = b'{"aa": "1", "lang": "EN"}'
    resp = await http.post(f"{gateway}/invoice-data", headers=headers, content=body)
    assert resp.status_code == 400
    assert resp.json() == {
        "ok": 0,
        "code": "customer_api_002",
        "error": {
            "title": "The invoice could not be created",
            "message": "All e-invoicing calls have been used",
        },
    }
    by_header = await http.post(
        f"{gateway}/invoice-data",
        content=b'{"aa": "1"}',
        headers=headers | {"Accept-Language": "en-US,en;q=0.8"},
    )
    assert by_header.json()["error"]["message"] == "All e-invoicing calls have been used"


async def test_refunds(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    customer, token = await customer_with(catalog, (100, 0, -1, 30))
    expected = {
        "?answer=200": 1,  # issued: charged
        "?answer=201": 1,
        "?answer=400": 0,  # invalid input: refunded
        "?answer=422": 0,
        "?answer=409": 0,
        "?answer=501": 0,
        "?answer=200&not_charged=1": 0,  # idempotent replay: refunded
        "?answer=500": 1,  # outcome unknown: kept
        "?answer=502": 1,
    }
    for query, charge in expected.items():
        before = (await catalog.calls_used(customer))[0]
        resp = await post(http, gateway, token, query)
        assert resp.status_code == int(query.split("=")[1].split("&")[0])
        assert (await catalog.calls_used(customer))[0] - before == charge, query


async def test_look_ups_are_free(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    customer, token = await customer_with(catalog, (5, 5, -1, 30))
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(3):
        resp = await http.get(f"{gateway}/invoice-data?auth_code=ABC", headers=headers)
        assert resp.status_code == 200
        assert resp.json()["query"] == "auth_code=ABC"
    assert await catalog.calls_used(customer) == [5]


async def test_upstream_down_is_503_and_refunded(
    http: httpx.AsyncClient, gateway_factory: Any, catalog: Any
) -> None:
    from testkit.servers import free_port

    url = await gateway_factory(invoice_service_url=f"http://127.0.0.1:{free_port()}")
    customer, token = await customer_with(catalog, (5, 0, -1, 30))
    resp = await post(http, url, token)
    assert resp.status_code == 503
    assert resp.json()["code"] == "service_unavailable"
    assert resp.json()["ok"] == 0
    assert await catalog.calls_used(customer) == [0]


async def test_upstream_timeout_is_504_and_kept(
    http: httpx.AsyncClient, gateway_factory: Any, catalog: Any
) -> None:
    url = await gateway_factory(upstream_timeout_s=0.3)
    customer, token = await customer_with(catalog, (5, 0, -1, 30))
    resp = await post(http, url, token, "?sleep=1")
    assert resp.status_code == 504
    assert resp.json()["code"] == "upstream_timeout"
    assert await catalog.calls_used(customer) == [1]
