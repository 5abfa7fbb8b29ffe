"""The notifier application: ``create_app`` wires the runtime, the routers and readiness."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.boot import runtime_lifespan
from kit.credentials import Door
from notifier.messages.endpoints import router as messages_router
from notifier.recipients.endpoints import router as invoice_emails_router
from notifier.reports.endpoints import router as reports_router
from notifier.runtime import SERVICE, NotifierRuntime
from notifier.settings import NotifierSettings

__all__ = ["SERVICE", "create_app"]


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: NotifierRuntime = app.state.runtime
    return {**runtime.boot.checks(runtime.engine)}


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    # A token before any body is read (the routes verify it again, with its claims).
    doors = [Door("/internal/", lambda state: state.runtime.internal_tokens)]
    app = create_service_app(
        SERVICE, lifespan=runtime_lifespan(NotifierRuntime), readiness=_readiness, doors=doors
    )
    app.state.settings = settings or NotifierSettings()
    app.include_router(messages_router)
    app.include_router(reports_router)
    app.include_router(invoice_emails_router)
    return app
