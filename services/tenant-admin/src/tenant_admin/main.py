"""tenant-admin's FastAPI application: operators' JSON API, the internal APIs (placement,
portal, directory) and, mounted at ``/admin-app``, the operators' admin app (pages)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from starlette.responses import RedirectResponse

from catalog.tables import outbox
from contracts.queues import PUBLIC_STRINGS
from kit.app import ReadinessCheck, create_service_app
from kit.credentials import Door
from kit.db import ping
from kit.messaging import BackgroundStart, Broker
from kit.outbox import OutboxRelay
from tenant_admin.app.deps import PREFIX as ADMIN_APP
from tenant_admin.app.site import close_site, create_admin_app, open_site
from tenant_admin.directory.consumer import DirectoryConsumer
from tenant_admin.directory.endpoints import router as directory_router
from tenant_admin.fleet.endpoints import router as fleet_router
from tenant_admin.housekeeping import housekeeping
from tenant_admin.internal.endpoints import router as internal_router
from tenant_admin.notices.endpoints import router as notices_router
from tenant_admin.operators.endpoints import router as login_router
from tenant_admin.packages.endpoints import router as packages_router
from tenant_admin.portal.endpoints import router as portal_router
from tenant_admin.runtime import AdminRuntime
from tenant_admin.settings import TenantAdminSettings, get_settings
from tenant_admin.tenants.endpoints import router as tenants_router
from tenant_admin.tokens.endpoints import router as tokens_router

SERVICE = "tenant-admin"


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: AdminRuntime = app.state.runtime
    events: BackgroundStart = app.state.events
    return {"catalog": partial(ping, runtime.engine), "broker": events.ping}


def _events(runtime: AdminRuntime) -> tuple[BackgroundStart, OutboxRelay]:
    """The catalog outbox relay (token.revoked, tenant.provisioned) and the directory's
    consumer, started once RabbitMQ answers; CLI commands only write rows, which this process
    publishes."""
    broker = Broker(runtime.settings.amqp_url, service=SERVICE)
    relay = OutboxRelay(runtime.engine, outbox, broker)

    async def set_up(started: Broker) -> None:
        spec = PUBLIC_STRINGS
        await started.declare_queue(
            spec.name,
            spec.bindings,
            retry_delays=spec.retry_delays,
            delivery_limit=spec.delivery_limit,
        )
        await started.consume(spec.name, DirectoryConsumer(runtime.engine))
        relay.start()

    return BackgroundStart(broker, set_up), relay


def create_app(settings: TenantAdminSettings | None = None) -> FastAPI:
    config = settings or get_settings()

    admin_app = create_admin_app(config.admin_cookie_secure)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = app.state.runtime = AdminRuntime.build(config)
        app.state.events, relay = _events(runtime)
        app.state.events.start()
        app.state.site = await open_site(admin_app, runtime)
        cleaner = housekeeping(runtime.engine, config.api_call_log_days)
        cleaner.start()
        try:
            yield
        finally:
            await cleaner.stop()
            await close_site(app.state.site)
            await relay.stop()
            await app.state.events.stop()
            await runtime.close()

    app = create_service_app(SERVICE, lifespan=lifespan, readiness=_readiness, doors=_DOORS)
    for router in (
        login_router, tenants_router, tokens_router, packages_router, fleet_router,
        internal_router, portal_router, directory_router, notices_router,
    ):  # fmt: skip
        app.include_router(router)
    app.add_api_route("/", _to_admin_app, include_in_schema=False)
    app.mount(ADMIN_APP, admin_app)
    return app


# Operators' API (but its login) and the internal API: a token before any body is read.
_DOORS = (
    Door("/admin/", lambda state: state.runtime.operator_codec, frozenset({"/admin/login"})),
    Door("/internal/", lambda state: state.runtime.internal_codec),
)


async def _to_admin_app() -> RedirectResponse:
    """Operators who open tenant-admin's address land on the admin app."""
    return RedirectResponse(ADMIN_APP + "/", status_code=307)
