"""The webhooks application: ``create_app`` wires the runtime, the routers and readiness."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.boot import runtime_lifespan
from kit.credentials import Door
from webhooks.deliveries.endpoints import router as deliveries_router
from webhooks.endpoints.endpoints import router as endpoints_router
from webhooks.runtime import SERVICE, WebhooksRuntime
from webhooks.settings import WebhooksSettings

__all__ = ["SERVICE", "create_app"]


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: WebhooksRuntime = app.state.runtime
    return {**runtime.boot.checks(runtime.engine)}


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    # A token before any body is read (the routes verify it again, with its claims).
    doors = [Door("/internal/", lambda state: state.runtime.internal_tokens)]
    app = create_service_app(
        SERVICE, lifespan=runtime_lifespan(WebhooksRuntime), readiness=_readiness, doors=doors
    )
    app.state.settings = settings or WebhooksSettings()
    app.include_router(endpoints_router)
    app.include_router(deliveries_router)
    return app
