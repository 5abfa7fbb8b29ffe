"""Fixtures: the webhooks service on real uvicorn with its own database and queue, a REAL
receiver on loopback (``testkit.receiver``), events published on RabbitMQ as mydata-sync's
outbox relay does, and the portal's tenant-bound calls to the internal API.

Back-off, leases and the sweep are cut to fractions of a second; each test has its own queue
(deleted afterwards) and its own tenant ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest

from contracts.envelope import Envelope
from contracts.events import (
    InvoiceDeferred,
    InvoiceRecipientEmailed,
    InvoiceTransmitted,
    envelope_of,
)
from contracts.http import TENANT_HEADER
from contracts.webhooks import ENDPOINTS_PATH
from kit.auth import TokenCodec, internal_audience
from kit.messaging import Broker, dlq_name, retry_queue_name
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from testkit.pg_fixtures import DatabaseFactory
from testkit.postgres import asyncpg_dsn
from testkit.receiver import WebhookReceiver
from testkit.servers import start_server
from webhooks.main import create_app
from webhooks.runtime import WebhooksRuntime
from webhooks.settings import WebhooksSettings

CODEC = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("webhooks"))


def tenant_headers(tenant_id: str) -> dict[str, str]:
    """What portal-web sends for one customer: a token bound to it and ``X-Tenant-Id``."""
    token, _ = CODEC.issue("portal-web", 300, tid=tenant_id, vats=[])
    return {"Authorization": f"Bearer {token}", TENANT_HEADER: tenant_id}


@dataclass
class Webhooks:
    """A running webhooks service: its internal API, its runtime and its database."""

    url: str
    runtime: WebhooksRuntime
    dsn: str

    def client(self, tenant_id: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, headers=tenant_headers(tenant_id), timeout=10)

    async def register(
        self, tenant_id: str, url: str, events: list[str] | None = None
    ) -> dict[str, Any]:
        """A new endpoint (all four events unless told); the answer with its secret."""
        chosen = events or ["invoice.transmitted", "invoice.deferred", "invoice.rejected",
                            "invoice.recipient_emailed"]  # fmt: skip
        async with self.client(tenant_id) as http:
            response = await http.post(ENDPOINTS_PATH, json={"url": url, "events": chosen})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(asyncpg_dsn(self.dsn))
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def wait_for(
        self, sql: str, *args: Any, done: Callable[[list[asyncpg.Record]], bool],
        within: float = 10.0,
    ) -> list[asyncpg.Record]:  # fmt: skip
        async with asyncio.timeout(within):
            while True:
                rows = await self.query(sql, *args)
                if done(rows):
                    return rows
                await asyncio.sleep(0.05)

    async def deliveries(self, event_id: str) -> list[asyncpg.Record]:
        return await self.query("SELECT * FROM deliveries WHERE event_id = $1", event_id)

    async def wait_state(self, event_id: str, state: str, within: float = 10.0) -> asyncpg.Record:
        sql = "SELECT * FROM deliveries WHERE event_id = $1"
        rows = await self.wait_for(
            sql, event_id, done=lambda rs: bool(rs) and rs[0]["state"] == state, within=within
        )
        return rows[0]


SettingsFactory = Callable[..., Awaitable[WebhooksSettings]]
WebhooksRunner = Callable[[WebhooksSettings], AbstractAsyncContextManager[Webhooks]]


@pytest.fixture
def webhooks_settings(new_database: DatabaseFactory, amqp_url: str) -> SettingsFactory:
    async def make(**overrides: Any) -> WebhooksSettings:
        values: dict[str, Any] = {
            "environment": "test",
            "webhooks_dsn": await new_database("webhooks"),
            "amqp_url": amqp_url,
            "connect_timeout_s": 0.5,
            "timeout_s": 1.0,
            "retry_backoff_s": (0.2,),
            "lease_s": 3.0,
            "sweep_interval_s": 0.1,
            "queue_retry_delays_s": (1,),
            "queue": f"test.webhooks.{uuid.uuid4().hex[:8]}",
        }
        return WebhooksSettings(**(values | overrides))

    return make


@pytest.fixture
def running() -> WebhooksRunner:
    """``async with running(settings) as webhooks:`` — served, migrated, consuming."""

    @asynccontextmanager
    async def run(settings: WebhooksSettings) -> AsyncIterator[Webhooks]:
        app = create_app(settings)
        server = await start_server(app)
        try:
            runtime: WebhooksRuntime = app.state.runtime
            async with asyncio.timeout(20):
                await runtime.messaging_ready.wait()
            yield Webhooks(server.url, runtime, settings.webhooks_dsn)
        finally:
            await server.stop()
            await _delete_queues(settings)

    return run


async def _delete_queues(settings: WebhooksSettings) -> None:
    """The test's queues go with it: bound to the outcome events, they would collect a copy of
    every later test's events."""
    name = settings.queue
    tiers = [retry_queue_name(name, delay) for delay in settings.queue_retry_delays_s]
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in (name, dlq_name(name), *tiers):
            await channel.queue_delete(queue)


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    started = WebhookReceiver()
    await started.start()
    yield started
    with contextlib.suppress(Exception):
        await started.stop()


def new_tenant() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


def transmitted(tenant_id: str, uid: str | None = None) -> Envelope:
    payload = InvoiceTransmitted(
        tenant_id=tenant_id, invoice_id=7, uid=uid or uuid.uuid4().hex.upper(),
        temporary_code="a" * 40, mark="400000000000123", authentication_code="B" * 40,
        qr_url="https://mydata.example/qr/1", response_xml="<ResponseDoc/>",
        request_xml="<InvoicesDoc/>",
    )  # fmt: skip
    return envelope_of(payload, tenant_id=tenant_id)


def deferred(tenant_id: str, uid: str | None = None) -> Envelope:
    payload = InvoiceDeferred(
        tenant_id=tenant_id, invoice_id=8, uid=uid or uuid.uuid4().hex.upper(),
        temporary_code="c" * 40, reason="connect timeout to http://10.0.0.5/internal",
        attempts=1, next_attempt_at=None,
    )  # fmt: skip
    return envelope_of(payload, tenant_id=tenant_id)


def recipient_emailed(tenant_id: str, uid: str | None = None) -> Envelope:
    payload = InvoiceRecipientEmailed(
        tenant_id=tenant_id, invoice_id=9, uid=uid or uuid.uuid4().hex.upper(),
        to="invoices@client.example.gr", sent_at=datetime.now(UTC),
        notification_id=uuid.uuid4().hex,
    )  # fmt: skip
    return envelope_of(payload, tenant_id=tenant_id)


@dataclass(frozen=True)
class Events:
    """The outcome events of mydata-sync, for a tenant: ``events.transmitted(tenant)``."""

    transmitted: Callable[..., Envelope] = transmitted
    deferred: Callable[..., Envelope] = deferred
    recipient_emailed: Callable[..., Envelope] = recipient_emailed


@pytest.fixture
def events() -> Events:
    return Events()


Publish = Callable[[Envelope], Awaitable[None]]


@pytest.fixture
def publish(broker: Broker) -> Publish:
    """Publish an event as mydata-sync's outbox relay does (the envelope's id each time)."""

    async def send(envelope: Envelope) -> None:
        await broker.publish(envelope)

    return send
