"""Fixtures: a real catalog database, a real stand-in for invoice-service and real gateways,
each served by uvicorn on its own port and called over HTTP.

The stand-in upstream is a tiny ASGI app whose answer the test chooses through the request it
forwards (``?answer=422`` etc. survive the gateway untouched), and which echoes what it received
so that forwarded headers can be checked.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import asyncpg
import httpx
import orjson
import pytest

from api_gateway.main import create_app
from api_gateway.settings import GatewaySettings
from catalog.migrate import upgrade
from kit.auth import API_AUDIENCE, TokenCodec, token_fingerprint
from testkit.postgres import asyncpg_dsn, create_database, drop_database, unique_name
from testkit.servers import RunningServer, start_server

SECRET = "test-api-token-secret-0123456789abcdef"
INTERNAL_SECRET = "test-internal-token-secret-0123456789ab"
ISSUER = "einvoicing-test"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def fake_invoice_service(scope: Scope, receive: Receive, send: Send) -> None:
    """invoice-service as far as the gateway can tell: answers what ``?answer=`` asks for."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    query = parse_qs(scope["query_string"].decode())
    await asyncio.sleep(float(query.get("sleep", ["0"])[0]))
    headers = {k.decode(): v.decode() for k, v in scope["headers"]}
    echo = {"method": scope["method"], "query": scope["query_string"].decode(), "headers": headers}
    echo["body"] = body.decode()
    out_headers = [(b"content-type", b"application/json; charset=utf-8")]
    if "not_charged" in query:
        out_headers.append((b"x-einv-not-charged", b"1"))
    status = int(query.get("answer", ["200"])[0])
    await send({"type": "http.response.start", "status": status, "headers": out_headers})
    await send({"type": "http.response.body", "body": orjson.dumps(echo)})


class Catalog:
    """Writes the catalog rows a test needs, as tenant-admin would."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.codec = TokenCodec(SECRET, ISSUER, API_AUDIENCE)

    async def customer(self, *packages: tuple[int, int, int, int]) -> str:
        """A customer with packages ``(call_limit, calls_used, starts_in_days, ends_in_days)``."""
        customer_id = uuid.uuid4().hex
        await self.pool.execute(
            "INSERT INTO customers (id, company_name, vat, surname, name, mobile, email)"
            " VALUES ($1, 'Test AE', '094420307', 'Doe', 'Jo', '6900000000', 'a@b.gr')",
            customer_id,
        )
        now = datetime.now(UTC)
        for limit, used, starts, ends in packages:
            await self.pool.execute(
                "INSERT INTO packages (customer_id, starts_at, ends_at, call_limit, calls_used)"
                " VALUES ($1, $2, $3, $4, $5)",
                customer_id,
                now + timedelta(days=starts),
                now + timedelta(days=ends),
                limit,
                used,
            )
        return customer_id

    async def vat_of(self, customer_id: str) -> str:
        vat: str = await self.pool.fetchval("SELECT vat FROM customers WHERE id = $1", customer_id)
        return vat

    async def token(self, customer_id: str, *, ttl_s: int = 3600) -> tuple[str, str]:
        """An API token as tenant-admin issues it (stored hashed); returns (token, jti)."""
        token, claims = self.codec.issue(customer_id, ttl_s, tid=customer_id, usr="erp_user")
        await self.pool.execute(
            "INSERT INTO api_tokens (id, customer_id, token_hash, expires_at)"
            " VALUES ($1, $2, $3, to_timestamp($4))",
            claims["jti"],
            customer_id,
            token_fingerprint(token),
            float(claims["exp"]),
        )
        return token, str(claims["jti"])

    async def revoke(self, jti: str) -> None:
        await self.pool.execute("UPDATE api_tokens SET revoked_at = now() WHERE id = $1", jti)

    async def calls_used(self, customer_id: str) -> list[int]:
        rows = await self.pool.fetch(
            "SELECT calls_used FROM packages WHERE customer_id = $1 ORDER BY ends_at", customer_id
        )
        return [r["calls_used"] for r in rows]


@pytest.fixture(scope="session")
async def catalog_dsn() -> AsyncIterator[str]:
    name = unique_name("gateway_catalog")
    dsn = await create_database(name)
    await upgrade(dsn)
    yield dsn
    await drop_database(name)


@pytest.fixture(scope="session")
async def catalog(catalog_dsn: str) -> AsyncIterator[Catalog]:
    pool = await asyncpg.create_pool(asyncpg_dsn(catalog_dsn), min_size=1, max_size=2)
    yield Catalog(pool)
    await pool.close()


@pytest.fixture(scope="session")
async def upstream() -> AsyncIterator[RunningServer]:
    server = await start_server(fake_invoice_service, lifespan="off")
    yield server
    await server.stop()


GatewayFactory = Callable[..., Awaitable[str]]


@pytest.fixture(scope="session")
async def gateway_factory(
    catalog_dsn: str, upstream: RunningServer, amqp_url: str
) -> AsyncIterator[GatewayFactory]:
    """``await gateway_factory(**setting_overrides)`` → base URL of a started gateway."""
    running: list[RunningServer] = []

    async def make(**overrides: Any) -> str:
        options: dict[str, Any] = {
            "environment": "test",
            "catalog_dsn": catalog_dsn,
            "invoice_service_url": upstream.url,
            "amqp_url": amqp_url,
            "api_token_secret": SECRET,
            "internal_token_secret": INTERNAL_SECRET,
            "token_issuer": ISSUER,
            "rate_limit_per_s": 100_000,
            "rate_limit_burst": 100_000,
            "catalog_pool_size": 3,
            **overrides,
        }
        server = await start_server(create_app(GatewaySettings(**options)))
        running.append(server)
        return server.url

    yield make
    await asyncio.gather(*(server.stop() for server in running))


@pytest.fixture(scope="session")
async def gateway(gateway_factory: GatewayFactory) -> str:
    """The gateway most tests share (generous rate limit, 30 s token cache)."""
    return await gateway_factory()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        yield client


@pytest.fixture
async def burst_http() -> AsyncIterator[aiohttp.ClientSession]:
    """For many concurrent requests: httpx's pool scans every connection per request
    (httpx issue #3215), which makes a 200-request burst take seconds of test CPU."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as session:
        yield session


@pytest.fixture
def wait_ready(http: httpx.AsyncClient) -> Callable[[str], Awaitable[None]]:
    """``await wait_ready(url)``: until /readyz is green (catalog up, hearing token.revoked)."""

    async def wait(base_url: str) -> None:
        deadline = time.monotonic() + 10
        while (await http.get(f"{base_url}/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "gateway never became ready"
            await asyncio.sleep(0.05)

    return wait
