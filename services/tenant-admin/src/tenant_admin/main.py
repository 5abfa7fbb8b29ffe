"""tenant-admin's FastAPI application: operators' JSON API and the internal placement API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.db import ping
from tenant_admin.fleet.endpoints import router as fleet_router
from tenant_admin.internal.endpoints import router as internal_router
from tenant_admin.operators.endpoints import router as login_router
from tenant_admin.packages.endpoints import router as packages_router
from tenant_admin.runtime import Runtime
from tenant_admin.settings import TenantAdminSettings, get_settings
from tenant_admin.tenants.endpoints import router as tenants_router
from tenant_admin.tokens.endpoints import router as tokens_router

SERVICE = "tenant-admin"


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: Runtime = app.state.runtime
    # No broker check yet: the outbox relay is not wired into this process.
    return {"catalog": partial(ping, runtime.engine)}


def create_app(settings: TenantAdminSettings | None = None) -> FastAPI:
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = Runtime.build(config)
        try:
            yield
        finally:
            await app.state.runtime.close()

    app = create_service_app(SERVICE, lifespan=lifespan, readiness=_readiness)
    for router in (
        login_router, tenants_router, tokens_router, packages_router, fleet_router,
        internal_router,
    ):  # fmt: skip
        app.include_router(router)
    return app
