"""tenant-admin's FastAPI application: operators' JSON API and the internal placement API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from catalog.tables import outbox
from kit.app import ReadinessCheck, create_service_app
from kit.db import ping
from kit.messaging import BackgroundStart, Broker
from kit.outbox import OutboxRelay
from tenant_admin.fleet.endpoints import router as fleet_router
from tenant_admin.internal.endpoints import router as internal_router
from tenant_admin.operators.endpoints import router as login_router
from tenant_admin.packages.endpoints import router as packages_router
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
    """The catalog outbox relay (token.revoked, tenant.provisioned), started once RabbitMQ
    answers; CLI commands only write rows, which this process publishes."""
    broker = Broker(runtime.settings.amqp_url, service=SERVICE)
    relay = OutboxRelay(runtime.engine, outbox, broker)

    async def set_up(_: Broker) -> None:
        relay.start()

    return BackgroundStart(broker, set_up), relay


def create_app(settings: TenantAdminSettings | None = None) -> FastAPI:
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = AdminRuntime.build(config)
        app.state.events, relay = _events(app.state.runtime)
        app.state.events.start()
        try:
            yield
        finally:
            await relay.stop()
            await app.state.events.stop()
            await app.state.runtime.close()

    app = create_service_app(SERVICE, lifespan=lifespan, readiness=_readiness)
    for router in (
        login_router, tenants_router, tokens_router, packages_router, fleet_router,
        internal_router,
    ):  # fmt: skip
        app.include_router(router)
    return app
