"""The mydata-sync application: ``create_app`` wires the runtime, the routers and readiness."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.boot import runtime_lifespan
from kit.credentials import Door
from mydata_sync.health import circuit_check
from mydata_sync.receivers.endpoints import router as receivers_router
from mydata_sync.registry.endpoints import router as registry_router
from mydata_sync.resend.endpoints import router as resend_router
from mydata_sync.runtime import SERVICE, SyncRuntime
from mydata_sync.settings import MydataSyncSettings
from mydata_sync.status.endpoints import router as status_router
from mydata_sync.transmissions.endpoints import router as transmissions_router

__all__ = ["SERVICE", "create_app"]


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: SyncRuntime = app.state.runtime
    return {**runtime.boot.checks(runtime.engine), **circuit_check(runtime)}


def create_app(settings: MydataSyncSettings | None = None) -> FastAPI:
    # A token before any body is read (the routes verify it again, with its claims).
    doors = [Door("/internal/", lambda state: state.runtime.internal_tokens)]
    app = create_service_app(
        SERVICE, lifespan=runtime_lifespan(SyncRuntime), readiness=_readiness, doors=doors
    )
    app.state.settings = settings or MydataSyncSettings()
    app.include_router(transmissions_router)
    app.include_router(resend_router)
    app.include_router(receivers_router)
    app.include_router(registry_router)
    app.include_router(status_router)
    return app
