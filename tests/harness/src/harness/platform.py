"""The whole platform in the test's event loop: the REAL apps on real uvicorn, free ports.

aade-sim, tenant-admin (with its admin app), mydata-sync, invoice-service, api-gateway,
portal-web, the notifier, devmail and the webhooks service are built with their own
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
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn
from fastapi import FastAPI

from aade_sim.main import create_app as create_aade_sim
from aade_sim.settings import AadeSimSettings
from api_gateway.main import create_app as create_gateway
from api_gateway.settings import GatewaySettings
from catalog import migrate as catalog_migrations
from devmail.main import create_app as create_devmail
from devmail.settings import DevmailSettings
from invoice_service.main import create_app as create_invoice_service
from invoice_service.settings import InvoiceServiceSettings
from kit.auth import TokenCodec, internal_audience
from kit.db import transaction
from mydata_sync.main import create_app as create_mydata_sync
from mydata_sync.settings import MydataSyncSettings
from notifier.main import create_app as create_notifier
from notifier.settings import CALLBACK_PATH, NotifierSettings
from portal_web.main import create_app as create_portal
from portal_web.settings import PortalSettings
from tenant_admin.app.deps import PREFIX as ADMIN_APP
from tenant_admin.issuers import service as issuers
from tenant_admin.main import create_app as create_tenant_admin
from tenant_admin.operators.service import create_operator
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
from webhooks.main import create_app as create_webhooks
from webhooks.settings import WebhooksSettings

READY_WITHIN_S = 45.0  # room for one start-up attempt cut at 15 s (kit.tasks) and its retry


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
    # The outbox sweep only matters when the RPC went unanswered; it visits the tenants that
    # issuance marked (every tenant once at start), so it runs less often.
    outbox_sweep_interval_s: float = 2.0
    # Long on purpose: a revoked token must be refused because of the token.revoked event,
    # not because its cached status happened to expire.
    token_cache_ttl_s: float = 30.0
    # The webhooks service: delay between attempts to a receiver that does not answer 2xx.
    webhooks_backoff_s: float = 0.5


# The first password of every customer and auditor the platform creates (must be changed at the
# first portal login, PORTAL-2).
FIRST_PASSWORD = "Correct-horse-1"
# The password of every operator the platform creates (the admin app's login).
OPERATOR_PASSWORD = "Operator-pass-2026"


@dataclass(frozen=True)
class Customer:
    tenant_id: str
    username: str
    token: str
    password: str = FIRST_PASSWORD

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

    async def registry_calls(self) -> dict[str, Any]:
        """RgWsPublic2 calls counted per username and VAT number, and its switch."""
        return await self._json("GET", "/_admin/registry")

    async def set_registry(self, **switch: Any) -> dict[str, Any]:
        """Force ``error_code`` or ``failure`` on the next ``times`` registry calls."""
        return await self._json("POST", "/_admin/registry", json=switch)

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
        self,
        calls: int = 100,
        days: int = 365,
        starts_at: datetime | None = None,
        issuer_vats: tuple[str, ...] = (),
    ) -> Customer:
        """A provisioned customer (own database) with one package and an API token, made
        through tenant-admin's service layer; ``starts_at`` in the past gives an old package;
        ``issuer_vats`` are authorised beside its own (``tenant-admin authorise-issuer``)."""
        engine = self.tenant_admin.engine
        async with transaction(engine) as conn:
            registered = await register_customer(conn, _new_customer())
            await add_package(conn, registered.customer_id, calls, days, starts_at)
            for vat in issuer_vats:
                await issuers.authorise(conn, registered.customer_id, vat, "e2e")
        await provision(engine, registered.customer_id)
        token = await self.issue_token(registered.customer_id, registered.username)
        return Customer(registered.customer_id, registered.username, token)

    def internal_headers_for(self, customer: Customer, *, to: str) -> dict[str, str]:
        """An internal token bound to ``customer`` and its X-Tenant-Id, addressed to service
        ``to``, as the gateway sends."""
        common = MydataSyncSettings(environment="test")
        audience = internal_audience(to)
        codec = TokenCodec(common.internal_token_secret, common.token_issuer, audience)
        token = codec.issue("e2e-portal", 600, tid=customer.tenant_id, vats=[])[0]
        return {"Authorization": f"Bearer {token}", "X-Tenant-Id": customer.tenant_id}

    async def tenant_admin_get(self, path: str, **params: str) -> Any:
        """tenant-admin's internal API, as another service calls it (unbound internal token)."""
        common = MydataSyncSettings(environment="test")
        headers = internal_headers(
            common.internal_token_secret, common.token_issuer, to="tenant-admin"
        )
        async with httpx.AsyncClient(base_url=self.servers["tenant-admin"].url) as http:
            response = await http.get(path, params=params, headers=headers)
        response.raise_for_status()
        return response.json()

    async def create_auditor(self, *sees: Customer) -> Customer:
        """An AADE user (seed 000) granted the given customers; no database, no token."""
        data = _new_customer().model_copy(
            update={"role": "aade_user", "sees_data_of": [c.username for c in sees]}
        )
        async with transaction(self.tenant_admin.engine) as conn:
            registered = await register_customer(conn, data)
        return Customer(registered.customer_id, registered.username, "")

    @property
    def portal_url(self) -> str:
        return self.servers["portal-web"].url

    @property
    def admin_url(self) -> str:
        """The operators' admin app (tenant-admin's pages)."""
        return self.servers["tenant-admin"].url + ADMIN_APP

    async def create_operator(self, password: str = OPERATOR_PASSWORD) -> str:
        """An operator of the admin app (``tenant-admin create-operator``); its username."""
        username = f"op{uuid.uuid4().hex[:10]}"
        async with transaction(self.tenant_admin.engine) as conn:
            await create_operator(conn, username, password)
        return username

    @property
    def notifier_url(self) -> str:
        return self.servers["notifier"].url

    @property
    def webhooks_url(self) -> str:
        """The webhooks service (its internal API, tenant-bound like portal-web's calls)."""
        return self.servers["webhooks"].url

    @property
    def devmail_url(self) -> str:
        """devmail: the notifier's SMTP server and SMS gateway (``/_admin/messages``)."""
        return self.servers["devmail"].url

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
        email=f"{username}@example.gr", mobile="6900000000", password=FIRST_PASSWORD,
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


def internal_headers(secret: str, issuer: str, *, to: str) -> dict[str, str]:
    """An unbound internal token addressed to service ``to``, as tenant-admin sends."""
    codec = TokenCodec(secret, issuer, internal_audience(to))
    return {"Authorization": f"Bearer {codec.issue('e2e-operator', 3600)[0]}"}


async def drop_tenant_databases(catalog_dsn: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(catalog_dsn))
    try:
        rows = await conn.fetch("SELECT database FROM tenant_databases")
    finally:
        await conn.close()
    for row in rows:  # every tenant database lives on the test server (the default server)
        await drop_database(row["database"])


async def wait_ready(
    server: RunningServer, within: float = READY_WITHIN_S, *, name: str = ""
) -> None:
    """Until ``/readyz`` answers 200 (databases migrated, broker connected, consumers up).

    On a timeout the error names the server and its last answer, so a CI log says which
    dependency was missing instead of only "condition not met".
    """
    last = "no answer yet"
    async with httpx.AsyncClient(base_url=server.url, timeout=2) as http:

        async def ready() -> bool:
            nonlocal last
            try:
                answer = await http.get("/readyz")
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
                return False
            last = f"{answer.status_code} {answer.text[:500]}"
            return answer.status_code == 200

        try:
            await wait_until(ready, within=within, interval=0.1)
        except AssertionError:
            who = f"{name or 'server'} at {server.url}"
            raise PlatformNotReady(
                f"{who} not ready within {within}s; last: {last}; {_connecting_tasks()}"
            ) from None


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
        gsis_url=f"{aade_url}/wsaade/RgWsPublic2/RgWsPublic2",  # and its dev special codes
        mydata_timeout_s=t.mydata_timeout_s, mydata_connect_timeout_s=0.5,
        lease_s=max(3.0, 3 * t.mydata_timeout_s), retry_backoff_s=(t.retry_backoff_s,),
        breaker_failure_threshold=t.breaker_failure_threshold,
        breaker_cooldown_s=t.breaker_cooldown_s, sweep_interval_s=t.sweep_interval_s,
    )  # fmt: skip


def _invoice_settings(
    res: _Resources, tenant_admin_url: str, sync_url: str, portal_url: str, t: Timings
) -> InvoiceServiceSettings:
    return InvoiceServiceSettings(
        environment="test", amqp_url=res.vhost.url, tenant_admin_url=tenant_admin_url,
        mydata_sync_url=sync_url, transmit_rpc_timeout_s=t.rpc_deadline_s,
        tenant_engines_max=8, tenant_pool_size=1, outbox_grace_s=t.outbox_grace_s,
        outbox_sweep_interval_s=t.outbox_sweep_interval_s, portal_public_url=portal_url,
    )  # fmt: skip


def _portal_settings(urls: dict[str, str], portal_url: str) -> PortalSettings:
    return PortalSettings(
        environment="test", tenant_admin_url=urls["tenant-admin"],
        invoice_service_url=urls["invoice-service"], mydata_sync_url=urls["mydata-sync"],
        portal_public_url=portal_url, webhooks_url=urls["webhooks"], notifier_url=urls["notifier"],
        api_gateway_url=urls["api-gateway"], api_public_url=urls["api-gateway"],
    )  # fmt: skip


def _gateway_settings(res: _Resources, urls: dict[str, str], t: Timings) -> GatewaySettings:
    return GatewaySettings(
        environment="test", amqp_url=res.vhost.url, catalog_dsn=res.catalog_dsn,
        catalog_pool_size=2, invoice_service_url=urls["invoice-service"],
        mydata_sync_url=urls["mydata-sync"], tenant_admin_url=urls["tenant-admin"],
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

    async def serve_on(self, name: str, app: Any, sock: socket.socket) -> RunningServer:
        """Serve ``app`` on a socket bound beforehand (its URL was needed before the app)."""
        # proxy_headers off as the services run with no proxy (kit.app.proxy_options).
        config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2, proxy_headers=False)  # fmt: skip
        server = _QuietServer(config)
        task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
        port = sock.getsockname()[1]
        running = RunningServer(f"http://127.0.0.1:{port}", port, server, task)
        self.cleanup.append(running.stop)
        await wait_until(_started(running), within=READY_WITHIN_S, interval=0.01)
        self.servers[name] = running
        return running

    def on_stop(self, step: Callable[[], Awaitable[None]]) -> None:
        self.cleanup.append(step)


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test runner owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _started(running: RunningServer) -> Callable[[], Awaitable[bool]]:
    async def started() -> bool:
        if running.task.done():
            raise RuntimeError(f"server failed to start: {running.task.exception()!r}")
        return bool(running.server.started)

    return started


def _closer(sock: socket.socket) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        sock.close()

    return close


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _bound_sockets(starter: _Starter, names: tuple[str, ...]) -> dict[str, socket.socket]:
    """A socket per service, bound now (its address is needed before its app starts)."""
    sockets = {name: _bound_socket() for name in names}
    for sock in sockets.values():
        starter.on_stop(_closer(sock))  # uvicorn closes it too; this covers a failed start
    return sockets


def _notifier_settings(
    res: _Resources, notify_dsn: str, devmail: DevmailSettings, devmail_url: str, own_url: str,
    upstreams: dict[str, str],
) -> NotifierSettings:  # fmt: skip
    return NotifierSettings(
        environment="test", amqp_url=res.vhost.url, notify_dsn=notify_dsn, notify_pool_size=2,
        smtp_port=devmail.smtp_port, smtp_timeout_s=2.0, sms_base_url=devmail_url,
        sms_timeout_s=2.0, sms_connect_timeout_s=0.5, sms_callback_url=own_url + CALLBACK_PATH,
        sms_status_check_s=(0.5,), sms_not_found_resend_after_s=2.0, retry_backoff_s=(0.5,),
        lease_s=8.0, sweep_interval_s=0.5, invoice_service_url=upstreams["invoice-service"],
        mydata_sync_url=upstreams["mydata-sync"], portal_url=upstreams["portal-web"],
        portal_public_url=upstreams["portal-web"],
    )  # fmt: skip


async def _start_notifications(
    starter: _Starter, res: _Resources, upstreams: dict[str, str]
) -> None:
    """devmail (its SMTP server on any free port), then the notifier on a socket bound first:
    its own address is the delivery-report callback devmail calls; ``upstreams``: the services
    an invoice e-mail is made from, whose sockets are bound already."""
    notify_dsn = await create_database(unique_name("e2e_notify"))
    starter.on_stop(lambda: drop_database(make_name(notify_dsn)))
    devmail_settings = DevmailSettings(environment="test", smtp_port=0, hang_max_s=10.0)
    devmail = await starter.serve("devmail", create_devmail(devmail_settings))
    notifier_socket = _bound_socket()
    starter.on_stop(_closer(notifier_socket))
    own_url = f"http://127.0.0.1:{notifier_socket.getsockname()[1]}"
    settings = _notifier_settings(
        res, notify_dsn, devmail_settings, devmail.url, own_url, upstreams
    )
    await starter.serve_on("notifier", create_notifier(settings), notifier_socket)


async def _start_webhooks(starter: _Starter, res: _Resources, t: Timings) -> None:
    """The webhooks service on its own database; receivers on loopback are allowed (test)."""
    dsn = await create_database(unique_name("e2e_webhooks"))
    starter.on_stop(lambda: drop_database(make_name(dsn)))
    settings = WebhooksSettings(
        environment="test", amqp_url=res.vhost.url, webhooks_dsn=dsn, pool_size=2,
        connect_timeout_s=0.5, timeout_s=2.0, lease_s=6.0, retry_backoff_s=(t.webhooks_backoff_s,),
        sweep_interval_s=0.2,
    )  # fmt: skip
    await starter.serve("webhooks", create_webhooks(settings))


async def _start_tenant_admin(
    starter: _Starter, res: _Resources, sync_url: str
) -> TenantAdminRuntime:
    """After mydata-sync and the notifier: the admin app calls both (resend list, messages)."""
    settings = TenantAdminSettings(
        environment="test", amqp_url=res.vhost.url, catalog_dsn=res.catalog_dsn,
        catalog_pool_size=2, tenant_db_server_dsn=admin_dsn(), mydata_sync_url=sync_url,
        notifier_url=starter.servers["notifier"].url,
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
    # Bound before any app starts: the notifier calls these three (an invoice's e-mail), and
    # portal-web's address goes into every invoice's QR code.
    sockets = _bound_sockets(starter, ("mydata-sync", "invoice-service", "portal-web"))
    upstreams = {name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in sockets.items()}
    # The notifier first: its queue exists before tenant-admin's relay publishes a message, and
    # its invoice-email queue before the first invoice.transmitted.
    await _start_notifications(starter, res, upstreams)
    # Before mydata-sync: its queue is bound before the first outcome event is published.
    await _start_webhooks(starter, res, timings)
    sync = await starter.serve_on(
        "mydata-sync",
        create_mydata_sync(_sync_settings(res, aade.url, timings)),
        sockets["mydata-sync"],
    )
    tenant_admin = await _start_tenant_admin(starter, res, sync.url)
    ta_url = starter.servers["tenant-admin"].url
    portal_url = upstreams["portal-web"]
    await starter.serve_on(
        "invoice-service",
        create_invoice_service(_invoice_settings(res, ta_url, sync.url, portal_url, timings)),
        sockets["invoice-service"],
    )
    urls = {name: server.url for name, server in starter.servers.items()}
    await starter.serve("api-gateway", create_gateway(_gateway_settings(res, urls, timings)))
    urls = {name: server.url for name, server in starter.servers.items()}
    await starter.serve_on(
        "portal-web", create_portal(_portal_settings(urls, portal_url)), sockets["portal-web"]
    )
    await asyncio.gather(*(wait_ready(s, name=n) for n, s in starter.servers.items()))
    return tenant_admin


async def _client(starter: _Starter, url: str, **kwargs: Any) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30, **kwargs)
    starter.on_stop(client.aclose)
    return client


def _connecting_tasks() -> str:
    """Where this process's broker connects are waiting (a diagnosis for a CI log)."""
    found = []
    for task in asyncio.all_tasks():
        name = str(getattr(task.get_coro(), "__qualname__", task.get_name()))
        if "connect" not in name.lower() and "boot" not in task.get_name():
            continue
        frames = task.get_stack(limit=3)
        where = " <- ".join(f"{f.f_code.co_qualname}:{f.f_lineno}" for f in reversed(frames))
        found.append(f"{task.get_name()} {name} at {where}")
    return "tasks: " + ("; ".join(found[:12]) or "none connecting")


class PlatformNotReady(AssertionError):
    """A server did not answer ``/readyz`` 200 in time (the message says which and why)."""


async def start_platform(timings: Timings | None = None) -> Platform:
    """Everything started and ready (``/readyz`` 200 everywhere); call ``stop()`` at the end.

    A start that outlasts ``START_WITHIN_S`` fails with every pending task and where it waits:
    that is how a broker refusing new connections (RabbitMQ out of file descriptors, see
    scripts/ensure-services.sh) showed itself, as AMQP connects that never completed.
    """
    try:
        async with asyncio.timeout(START_WITHIN_S):
            return await _start_platform(timings)
    except TimeoutError:
        tasks = _all_tasks()
        raise PlatformNotReady(f"platform not started within {START_WITHIN_S}s; {tasks}") from None


START_WITHIN_S = 100.0  # under pytest-timeout's 120 s, so that the task dump is printed


def _all_tasks() -> str:
    """Every pending task and where it waits (a diagnosis for a CI log)."""
    found = []
    for task in asyncio.all_tasks():
        frames = task.get_stack(limit=4)
        where = " <- ".join(f"{f.f_code.co_qualname}:{f.f_lineno}" for f in reversed(frames))
        found.append(f"[{task.get_name()}] {where}")
    return "tasks: " + "; ".join(sorted(found))


async def _start_platform(timings: Timings | None) -> Platform:
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
    headers = internal_headers(common.internal_token_secret, common.token_issuer, to="mydata-sync")
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
