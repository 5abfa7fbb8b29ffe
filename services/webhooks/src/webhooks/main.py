"""The webhooks application: ``create_app`` wires the runtime, the routers and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.credentials import Door
from kit.db import ping
from webhooks.deliveries.endpoints import router as deliveries_router
from webhooks.endpoints.endpoints import router as endpoints_router
from webhooks.health import check_broker, check_schema
from webhooks.runtime import SERVICE, WebhooksRuntime
from webhooks.settings import WebhooksSettings

__all__ = ["SERVICE", "create_app"]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    runtime = WebhooksRuntime(app.state.settings)
    app.state.runtime = runtime
    runtime.start()
    try:
        yield
    finally:
        await runtime.stop()


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: WebhooksRuntime = app.state.runtime
    return {
        "database": partial(ping, runtime.engine),
        "schema": partial(check_schema, runtime),
        "broker": partial(check_broker, runtime),
    }


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    # A token before any body is read (the routes verify it again, with its claims).
    doors = [Door("/internal/", lambda state: state.runtime.internal_tokens)]
    app = create_service_app(SERVICE, lifespan=_lifespan, readiness=_readiness, doors=doors)
    app.state.settings = settings or WebhooksSettings()
    app.include_router(endpoints_router)
    app.include_router(deliveries_router)
    return app
