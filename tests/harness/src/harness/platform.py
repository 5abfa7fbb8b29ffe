"""The whole platform in the test's event loop: the REAL apps on real uvicorn, free ports.

aade-sim, tenant-admin, mydata-sync, invoice-service and api-gateway are built with their own
``create_app(settings)`` and wired to each other by URL, like in production, on throwaway
databases and a RabbitMQ vhost of their own: the services declare fixed queue names
(``invoice-service.outcomes``, ``mydata-sync.transmit``), so two platforms, or a platform and
another suite, must never share a vhost. Timeouts, sweeps and the breaker's cool-down are cut
to fractions of a second so that outages and recoveries take seconds.

    platform = await start_platform()
    customer = await platform.create_customer(calls=10)
    await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
    await platform.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from aade_sim.main import create_app as create_aade_sim
from aade_sim.settings import AadeSimSettings
from api_gateway.main import create_app as create_gateway
from api_gateway.settings import GatewaySettings
from catalog import migrate as catalog_migrations
from invoice_service.main import create_app as create_invoice_service
from invoice_service.settings import InvoiceServiceSettings
from kit.auth import INTERNAL_AUDIENCE, TokenCodec
from kit.db import transaction
from mydata_sync.main import create_app as create_mydata_sync
from mydata_sync.settings import MydataSyncSettings
from tenant_admin.main import create_app as create_tenant_admin
from tenant_admin.packages.service import add_package, list_packages
from tenant_admin.provisioning.service import provision
from tenant_admin.runtime import AdminRuntime as TenantAdminRuntime
from tenant_admin.servers.service import ensure_default_server
from tenant_admin.settings import TenantAdminSettings
from tenant_admin.tenants.schemas import NewCustomer, PackageInfo
from tenant_admin.tenants.service import register_customer
from tenant_admin.tokens.service import issue_token
from testkit.invoices import ISSUER_VAT
from testkit.postgres import admin_dsn, asyncpg_dsn, create_database, drop_database, unique_name
from testkit.rabbit import TestVhost, create_test_vhost
from testkit.servers import RunningServer, start_server

READY_WITHIN_S = 30.0


@dataclass(frozen=True)
class Timings:
    """The short waits the platform runs with; each is a setting of one service."""

    mydata_timeout_s: float = 1.0  # mydata-sync → aade-sim (a blackholed call costs this)
    breaker_failure_threshold: int = 2
    breaker_cooldown_s: float = 2.5  # room for several fast answers before a probe
    sweep_interval_s: float = 0.5  # mydata-sync's retry sweep
    retry_backoff_s: float = 0.5
    rpc_deadline_s: float = 3.0  # invoice-service → mydata-sync
    outbox_grace_s: float = 1.0
    # The outbox sweep only matters when the RPC never reached mydata-sync; it visits every
    # tenant database, so it runs less often.
    outbox_sweep_interval_s: float = 2.0
    # Long on purpose: a revoked token must be refused because of the token.revoked event,
    # not because its cached status happened to expire.
    token_cache_ttl_s: float = 30.0


@dataclass(frozen=True)
class Customer:
    tenant_id: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class AadeAdmin:
    """aade-sim's ``/_admin`` API (fault switch, registration counters)."""

    http: httpx.AsyncClient

    async def set_fault(self, mode: str, **extra: Any) -> dict[str, Any]:
        return await self._json("POST", "/_admin/faults", json={"mode": mode, **extra})

    async def faults(self) -> dict[str, Any]:
        return await self._json("GET", "/_admin/faults")

    async def registrations(self) -> dict[str, Any]:
        return await self._json("GET", "/_admin/registrations")

    async def registered(self, uid: str) -> dict[str, Any]:
        """The stored registration of ``uid`` (its MARK, XML …)."""
        return await self._json("GET", f"/_admin/invoices/{uid}")

    async def count(self, uid: str) -> int:
        """How many times ``uid`` was accepted (a correct platform never gets past 1)."""
        return int((await self.registrations())["by_uid"].get(uid.upper(), 0))

    async def reset(self) -> None:
        await self._json("POST", "/_admin/reset")

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.http.request(method, path, **kwargs)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


@dataclass
class Platform:
    gateway: httpx.AsyncClient
    aade: AadeAdmin
    sync: httpx.AsyncClient  # mydata-sync's internal API, with an internal token
    tenant_admin: TenantAdminRuntime
    timings: Timings
    servers: dict[str, RunningServer]
    _cleanup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def create_customer(
        self, calls: int = 100, days: int = 365, starts_at: datetime | None = None
    ) -> Customer:
        """A provisioned customer (own database) with one package and an API token, made
        through tenant-admin's service layer; ``starts_at`` in the past gives an old package."""
        engine = self.tenant_admin.engine
        async with transaction(engine) as conn:
            registered = await register_customer(conn, _new_customer())
            await add_package(conn, registered.customer_id, calls, days, starts_at)
        await provision(engine, registered.customer_id)
        token = await self.issue_token(registered.customer_id, registered.username)
        return Customer(registered.customer_id, registered.username, token)

    async def issue_token(self, tenant_id: str, username: str) -> str:
        """A new API token; the customer's older ones are revoked (token.revoked events)."""
        runtime = self.tenant_admin
        ttl = runtime.settings.api_token_ttl_seconds
        async with transaction(runtime.engine) as conn:
            issued = await issue_token(conn, runtime.api_codec, tenant_id, username, ttl)
        return issued.api_token

    async def packages(self, customer: Customer) -> list[PackageInfo]:
        async with transaction(self.tenant_admin.engine) as conn:
            return await list_packages(conn, customer.tenant_id)

    async def calls_used(self, customer: Customer) -> int:
        return sum(p.calls_used for p in await self.packages(customer))

    async def resend_list(self) -> dict[str, Any]:
        response = await self.sync.get("/internal/resend", params={"limit": 500})
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def app(self, service: str) -> FastAPI:
        """The running app of ``service`` (its ``state`` holds what its lifespan built)."""
        app = self.servers[service].server.config.app
        assert isinstance(app, FastAPI)
        return app

    async def stop(self) -> None:
        """Servers in reverse start order (their lifespans close pools and brokers), then the
        tenant databases, the catalog, the sync database and the vhost."""
        await _undo(self._cleanup)


async def _undo(cleanup: list[Callable[[], Awaitable[None]]]) -> None:
    while cleanup:
        step = cleanup.pop()
        with contextlib.suppress(Exception):  # one failed step must not leak the rest
            await step()


def _new_customer() -> NewCustomer:
    username = f"e2e{uuid.uuid4().hex[:12]}"
    return NewCustomer(
        company_name="Εταιρεία Δοκιμών Α.Ε.", vat=ISSUER_VAT, username=username,
        email=f"{username}@example.gr", mobile="6900000000", password="Correct-horse-1",
    )  # fmt: skip


async def wait_until(
    check: Callable[[], Awaitable[bool]], *, within: float = 10.0, interval: float = 0.1
) -> None:
    """Poll the async ``check`` until it holds; ``AssertionError`` after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


def shared_dir() -> str:
    """Where the services find the XSDs: ``EINV_SHARED_DIR``, else ``../shared``."""
    return os.environ.get("EINV_SHARED_DIR") or str(Path("../shared").resolve())


def internal_headers(secret: str, issuer: str) -> dict[str, str]:
    codec = TokenCodec(secret, issuer, INTERNAL_AUDIENCE)
    return {"Authorization": f"Bearer {codec.issue('e2e-operator', 3600)[0]}"}


async def drop_tenant_databases(catalog_dsn: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(catalog_dsn))
    try:
        rows = await conn.fetch("SELECT database FROM tenant_databases")
    finally:
        await conn.close()
    for row in rows:  # every tenant database lives on the test server (the default server)
        await drop_database(row["database"])


async def wait_ready(server: RunningServer, within: float = READY_WITHIN_S) -> None:
    """Until ``/readyz`` answers 200 (databases migrated, broker connected, consumers up)."""
    async with httpx.AsyncClient(base_url=server.url, timeout=2) as http:

        async def ready() -> bool:
            with contextlib.suppress(httpx.HTTPError):
                return (await http.get("/readyz")).status_code == 200
            return False

        await wait_until(ready, within=within, interval=0.1)


# --- start-up ---------------------------------------------------------------------------------


@dataclass
class _Resources:
    """What exists only for this platform, dropped by ``Platform.stop``."""

    vhost: TestVhost
    catalog_dsn: str
    sync_dsn: str


async def _resources() -> _Resources:
    vhost = await asyncio.to_thread(create_test_vhost)
    catalog_dsn = await create_database(unique_name("e2e_catalog"))
    sync_dsn = await create_database(unique_name("e2e_sync"))
    await catalog_migrations.upgrade(catalog_dsn)
    return _Resources(vhost, catalog_dsn, sync_dsn)


def _sync_settings(res: _Resources, aade_url: str, t: Timings) -> MydataSyncSettings:
    return MydataSyncSettings(
        environment="test", sync_dsn=res.sync_dsn, sync_pool_size=2, amqp_url=res.vhost.url,
        mydata_base_url=f"{aade_url}/myDataProvider",  # aade-sim's dev credentials by default
        mydata_timeout_s=t.mydata_timeout_s, mydata_connect_timeout_s=0.5,
        lease_s=max(3.0, 3 * t.mydata_timeout_s), retry_backoff_s=(t.retry_backoff_s,),
        breaker_failure_threshold=t.breaker_failure_threshold,
        breaker_cooldown_s=t.breaker_cooldown_s, sweep_interval_s=t.sweep_interval_s,
    )  # fmt: skip


def _invoice_settings(
    res: _Resources, tenant_admin_url: str, sync_url: str, t: Timings
) -> InvoiceServiceSettings:
    return InvoiceServiceSettings(
        environment="test", amqp_url=res.vhost.url, tenant_admin_url=tenant_admin_url,
        mydata_sync_url=sync_url, transmit_rpc_timeout_s=t.rpc_deadline_s,
        tenant_engines_max=8, tenant_pool_size=1, outbox_grace_s=t.outbox_grace_s,
        outbox_sweep_interval_s=t.outbox_sweep_interval_s,
    )  # fmt: skip


def _gateway_settings(res: _Resources, invoice_url: str, t: Timings) -> GatewaySettings:
    return GatewaySettings(
        environment="test", amqp_url=res.vhost.url, catalog_dsn=res.catalog_dsn,
        catalog_pool_size=2, invoice_service_url=invoice_url,
        token_cache_ttl_s=t.token_cache_ttl_s, upstream_timeout_s=t.rpc_deadline_s + 10,
    )  # fmt: skip


class _Starter:
    """Starts the apps one after the other and records how to undo each step."""

    def __init__(self, cleanup: list[Callable[[], Awaitable[None]]]) -> None:
        self.cleanup = cleanup
        self.servers: dict[str, RunningServer] = {}

    async def serve(self, name: str, app: Any) -> RunningServer:
        server = await start_server(app)
        self.cleanup.append(server.stop)
        self.servers[name] = server
        return server

    def on_stop(self, step: Callable[[], Awaitable[None]]) -> None:
        self.cleanup.append(step)


async def _start_tenant_admin(starter: _Starter, res: _Resources) -> TenantAdminRuntime:
    settings = TenantAdminSettings(
        environment="test", amqp_url=res.vhost.url, catalog_dsn=res.catalog_dsn,
        catalog_pool_size=2, tenant_db_server_dsn=admin_dsn(),
    )  # fmt: skip
    app = create_tenant_admin(settings)
    await starter.serve("tenant-admin", app)
    runtime: TenantAdminRuntime = app.state.runtime
    async with transaction(runtime.engine) as conn:
        await ensure_default_server(conn, "default", admin_dsn(), 1000)
    return runtime


async def _start_all(starter: _Starter, res: _Resources, timings: Timings) -> TenantAdminRuntime:
    aade_settings = AadeSimSettings(
        environment="test", admin=True, hang_max_s=10.0, shared_dir=shared_dir()
    )
    aade = await starter.serve("aade-sim", create_aade_sim(aade_settings))
    tenant_admin = await _start_tenant_admin(starter, res)
    ta_url = starter.servers["tenant-admin"].url
    sync = await starter.serve(
        "mydata-sync", create_mydata_sync(_sync_settings(res, aade.url, timings))
    )
    invoice = await starter.serve(
        "invoice-service",
        create_invoice_service(_invoice_settings(res, ta_url, sync.url, timings)),
    )
    await starter.serve("api-gateway", create_gateway(_gateway_settings(res, invoice.url, timings)))
    await asyncio.gather(*(wait_ready(s) for s in starter.servers.values()))
    return tenant_admin


async def _client(starter: _Starter, url: str, **kwargs: Any) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30, **kwargs)
    starter.on_stop(client.aclose)
    return client


async def start_platform(timings: Timings | None = None) -> Platform:
    """Everything started and ready (``/readyz`` 200 everywhere); call ``stop()`` at the end."""
    timings = timings or Timings()
    cleanup: list[Callable[[], Awaitable[None]]] = []
    starter = _Starter(cleanup)
    res = await _resources()
    # Registered first, so undone last: after every server (and its pools) is gone.
    starter.on_stop(lambda: asyncio.to_thread(res.vhost.drop))
    starter.on_stop(lambda: drop_database(make_name(res.sync_dsn)))
    starter.on_stop(lambda: drop_database(make_name(res.catalog_dsn)))
    starter.on_stop(lambda: drop_tenant_databases(res.catalog_dsn))
    try:
        return await _assemble(starter, res, timings, cleanup)
    except BaseException:
        await _undo(cleanup)
        raise


async def _assemble(
    starter: _Starter,
    res: _Resources,
    timings: Timings,
    cleanup: list[Callable[[], Awaitable[None]]],
) -> Platform:
    tenant_admin = await _start_all(starter, res, timings)
    common = MydataSyncSettings(environment="test")
    headers = internal_headers(common.internal_token_secret, common.token_issuer)
    return Platform(
        gateway=await _client(starter, starter.servers["api-gateway"].url),
        aade=AadeAdmin(await _client(starter, starter.servers["aade-sim"].url)),
        sync=await _client(starter, starter.servers["mydata-sync"].url, headers=headers),
        tenant_admin=tenant_admin,
        timings=timings,
        servers=starter.servers,
        _cleanup=cleanup,
    )


def make_name(dsn: str) -> str:
    """The database name of a DSN."""
    return dsn.rsplit("/", 1)[1].split("?", 1)[0]
