"""Fixtures: the mydata-sync app over HTTP, the REAL aade-sim on uvicorn, invoices, events.

aade-sim runs once per xdist worker on a free port; every test starts from ``/_admin/reset`` and
uses its own AA numbers, so uids never collide. Timeouts, leases, backoff and the sweep interval
are shortened so that outages, retries and recoveries take fractions of a second.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
import pytest

from aade_sim.main import create_app as create_sim
from aade_sim.settings import AadeSimSettings
from contracts import Envelope, outcome_of
from kit.auth import TokenCodec, internal_audience
from kit.messaging import EVENTS_EXCHANGE, Broker
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from mydata.erp import parse_erp_invoice
from mydata.identifiers import invoice_uid
from mydata.invoices_doc import build_invoices_doc
from mydata_sync.main import create_app
from mydata_sync.runtime import SyncRuntime
from mydata_sync.settings import MydataSyncSettings
from testkit.invoices import sample_invoice
from testkit.pg_fixtures import DatabaseFactory
from testkit.servers import RunningServer, start_server


@dataclass
class SyncApp:
    """A running mydata-sync: its HTTP client and its runtime (service, sweeper, breaker)."""

    http: httpx.AsyncClient
    runtime: SyncRuntime
    headers: dict[str, str]

    async def transmit(self, body: dict[str, Any]) -> dict[str, Any]:
        """The RPC's answer, an outcome event, flattened for the tests: its payload plus
        ``state`` (from the event type) and ``message_id``."""
        response = await self.http.post("/internal/transmissions", json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        event = Envelope.model_validate(response.json())
        outcome_of(event)  # the answer is one of the outcome events, nothing else
        state = event.type.removeprefix("invoice.")
        return {"state": state, "message_id": event.message_id, **event.payload}

    async def resend_list(self) -> dict[str, Any]:
        response = await self.http.get("/internal/resend", headers=self.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def wait_ready(self, *, messaging: bool = True) -> None:
        event = self.runtime.messaging_ready if messaging else self.runtime.schema_ready
        await asyncio.wait_for(event.wait(), 15)


AppClient = Callable[[MydataSyncSettings], AbstractAsyncContextManager[httpx.AsyncClient]]
SyncRunner = Callable[[MydataSyncSettings], AbstractAsyncContextManager[SyncApp]]
SIM_USER, SIM_KEY = "sync-test-provider", "sync-test-key"
ISSUER, COUNTERPART = "094420307", "888888888"


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def app_client() -> AppClient:
    """Run the app's lifespan (ASGITransport does not) and talk to it over HTTP."""

    @asynccontextmanager
    async def run(settings: MydataSyncSettings) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test", timeout=30) as http,
        ):
            http.app = app  # type: ignore[attr-defined]
            yield http

    return run


@pytest.fixture
def running(app_client: AppClient, auth: dict[str, str]) -> SyncRunner:
    """``async with running(settings) as sync:`` — the app started and its schema ready."""

    @asynccontextmanager
    async def run(settings: MydataSyncSettings) -> AsyncIterator[SyncApp]:
        async with app_client(settings) as http:
            sync = SyncApp(http, http.app.state.runtime, auth)  # type: ignore[attr-defined]
            await sync.wait_ready()
            yield sync

    return run


# --- aade-sim -------------------------------------------------------------------------------


@dataclass
class Sim:
    url: str
    http: httpx.AsyncClient

    @property
    def provider_url(self) -> str:
        return f"{self.url}/myDataProvider"

    async def fault(self, mode: str, **extra: Any) -> None:
        response = await self.http.post("/_admin/faults", json={"mode": mode, **extra})
        response.raise_for_status()

    async def registrations(self) -> dict[str, Any]:
        response = await self.http.get("/_admin/registrations")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def registered(self, uid: str) -> dict[str, Any]:
        response = await self.http.get(f"/_admin/invoices/{uid}")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def applied(self, mode: str) -> int:
        response = await self.http.get("/_admin/faults")
        return int(response.json()["applied"].get(mode, 0))

    async def count(self, uid: str) -> int:
        return int((await self.registrations())["by_uid"].get(uid, 0))


def _shared_dir() -> str:
    return os.environ.get("EINV_SHARED_DIR") or str(Path("../shared").resolve())


@pytest.fixture(scope="session")
async def sim_server() -> AsyncIterator[RunningServer]:
    settings = AadeSimSettings(
        environment="test",
        credentials=f"{SIM_USER}:{SIM_KEY}",
        admin=True,
        hang_max_s=10.0,
        shared_dir=_shared_dir(),
    )
    server = await start_server(create_sim(settings))
    yield server
    await server.stop()


@pytest.fixture
async def sim(sim_server: RunningServer) -> AsyncIterator[Sim]:
    async with httpx.AsyncClient(base_url=sim_server.url, timeout=10) as http:
        (await http.post("/_admin/reset")).raise_for_status()
        yield Sim(sim_server.url, http)
        await http.post("/_admin/faults", json={"mode": "none"})


# --- mydata-sync ----------------------------------------------------------------------------

SettingsFactory = Callable[..., Awaitable[MydataSyncSettings]]


@pytest.fixture
def sync_settings(new_database: DatabaseFactory, amqp_url: str, sim: Sim) -> SettingsFactory:
    async def make(**overrides: Any) -> MydataSyncSettings:
        values: dict[str, Any] = {
            "environment": "test",
            "sync_dsn": await new_database("sync"),
            "sync_pool_size": 3,
            "amqp_url": amqp_url,
            "mydata_base_url": sim.provider_url,
            "mydata_user_id": SIM_USER,
            "mydata_subscription_key": SIM_KEY,
            "mydata_timeout_s": 0.5,
            "mydata_connect_timeout_s": 0.3,
            "lease_s": 2.0,
            "retry_backoff_s": (0.2,),
            "breaker_failure_threshold": 2,
            "breaker_cooldown_s": 0.3,
            "sweep_interval_s": 3600.0,  # tests sweep by hand unless they ask otherwise
            "queue_retry_delays_s": (1,),
            "transmit_queue": f"test.mydata-sync.{uuid.uuid4().hex[:8]}",
        }
        return MydataSyncSettings(**(values | overrides))

    return make


@pytest.fixture
def token() -> str:
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("mydata-sync"))
    return codec.issue("invoice-service", 300)[0]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- invoices -------------------------------------------------------------------------------


@pytest.fixture
def invoice() -> Callable[..., dict[str, Any]]:
    return make_request


def make_request(tenant_id: str = "t1", **changes: Any) -> dict[str, Any]:
    """An RPC body for the sample invoice (issued today, a fresh AA, so a fresh uid)."""
    body = sample_invoice(**({"is_vat": ISSUER, "cp_vat": COUNTERPART} | changes))
    erp = parse_erp_invoice(body)
    uid = invoice_uid(erp.is_vat, erp.issuedate, erp.is_branch, erp.invtype, erp.series, erp.aa)
    xml = build_invoices_doc([erp]).decode()
    return {
        "tenant_id": tenant_id,
        "invoice_id": random.randint(1, 10**9),
        "uid": uid,
        "customer_username": "demo-user",
        "temporary_code": uuid.uuid4().hex.upper(),
        "invoice": body,
        "xml": xml,
    }


# --- outcome events -------------------------------------------------------------------------


class EventListener:
    """An exclusive queue on ``einv.events`` collecting outcome envelopes."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            self.events.append(orjson.loads(message.body))
            self._arrived.set()

    def for_uid(self, uid: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["payload"].get("uid") == uid]

    async def wait_for(self, uid: str, count: int = 1, within: float = 10) -> list[dict[str, Any]]:
        async with asyncio.timeout(within):
            while len(self.for_uid(uid)) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.for_uid(uid)


@pytest.fixture
async def events(amqp_url: str, broker: Broker) -> AsyncIterator[EventListener]:
    # ``broker`` (started) has declared the exchanges on this vhost.
    listener = EventListener()
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(EVENTS_EXCHANGE, "topic", durable=True, passive=True)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    for outcome in ("transmitted", "deferred", "rejected"):
        await queue.bind(exchange, f"invoice.{outcome}")
    await queue.consume(listener.on_message)
    yield listener
    await connection.close()
