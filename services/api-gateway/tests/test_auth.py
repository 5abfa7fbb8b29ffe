"""Bearer verification: the exact seed-002 401 body, and revocation (cache TTL and event)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import jwt
import pytest

from contracts import Envelope
from kit.auth import TokenCodec, internal_audience

UNAUTHORIZED = {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
ONE_PACKAGE = (1000, 0, -1, 30)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def assert_unauthorized(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
    for method in ("POST", "GET"):
        resp = await http.request(method, f"{url}/invoice-data", headers=headers, content=b"{}")
        assert resp.status_code == 401
        assert resp.json() == UNAUTHORIZED


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Bearer aaa.bbb.ccc"},
    ],
    ids=["missing", "empty", "basic", "garbage", "garbage-dots"],
)
async def test_missing_or_garbage_token(
    http: httpx.AsyncClient, gateway: str, headers: Any
) -> None:
    await assert_unauthorized(http, gateway, headers)


async def test_wrong_audience(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    customer = await catalog.customer(ONE_PACKAGE)
    internal = TokenCodec(
        catalog.codec.secret, catalog.codec.issuer, internal_audience("invoice-service")
    )
    token, _ = internal.issue(customer, 600, tid=customer)
    await assert_unauthorized(http, gateway, bearer(token))


async def test_expired_token(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    customer = await catalog.customer(ONE_PACKAGE)
    token, _ = await catalog.token(customer, ttl_s=-60)  # past the verifier's 5 s leeway
    await assert_unauthorized(http, gateway, bearer(token))


async def test_wrong_signature_and_algorithm(
    http: httpx.AsyncClient, gateway: str, catalog: Any
) -> None:
    customer = await catalog.customer(ONE_PACKAGE)
    token, _ = await catalog.token(customer)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, "another-secret-0123456789abcdef-0123", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    await assert_unauthorized(http, gateway, bearer(forged))
    await assert_unauthorized(http, gateway, bearer(unsigned))


async def test_signed_but_unknown_to_catalog(
    http: httpx.AsyncClient, gateway: str, catalog: Any
) -> None:
    customer = await catalog.customer(ONE_PACKAGE)
    token, _ = catalog.codec.issue(customer, 600, tid=customer)  # never stored
    await assert_unauthorized(http, gateway, bearer(token))


async def test_revoked_token(http: httpx.AsyncClient, gateway: str, catalog: Any) -> None:
    customer = await catalog.customer(ONE_PACKAGE)
    token, jti = await catalog.token(customer)
    await catalog.revoke(jti)
    await assert_unauthorized(http, gateway, bearer(token))


async def test_revocation_seen_after_cache_ttl(
    http: httpx.AsyncClient, gateway_factory: Any, catalog: Any
) -> None:
    url = await gateway_factory(token_cache_ttl_s=1.0)
    customer = await catalog.customer(ONE_PACKAGE)
    token, jti = await catalog.token(customer)
    assert (await http.get(f"{url}/invoice-data", headers=bearer(token))).status_code == 200
    await catalog.revoke(jti)  # no event: only the TTL can reveal it
    revoked_at = time.monotonic()
    while (await http.get(f"{url}/invoice-data", headers=bearer(token))).status_code != 401:
        # The TTL plus room for a loaded machine; without the TTL it would never be seen.
        assert time.monotonic() - revoked_at < 3.0, "revocation not seen within the TTL"
        await asyncio.sleep(0.05)


async def test_revocation_event_applies_at_once(
    http: httpx.AsyncClient, gateway_factory: Any, catalog: Any, broker: Any, wait_ready: Any
) -> None:
    url = await gateway_factory(token_cache_ttl_s=300)
    await wait_ready(url)
    customer = await catalog.customer(ONE_PACKAGE)
    token, jti = await catalog.token(customer)
    assert (await http.get(f"{url}/invoice-data", headers=bearer(token))).status_code == 200
    await catalog.revoke(jti)
    event = Envelope(type="token.revoked", payload={"jti": jti, "customer_id": customer})
    await broker.publish(event)
    published_at = time.monotonic()
    while (resp := await http.get(f"{url}/invoice-data", headers=bearer(token))).status_code != 401:
        assert time.monotonic() - published_at < 2, "token.revoked event not applied"
        await asyncio.sleep(0.02)
    assert resp.json() == UNAUTHORIZED
