"""The aade-sim application: ``create_app`` wires settings, state, the API front and routes."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware

from aade_sim.admin.endpoints import router as admin_router
from aade_sim.faults.state import Faults
from aade_sim.provider.document import InvoicesReader
from aade_sim.provider.endpoints import router as provider_router
from aade_sim.provider.front import ProviderFront
from aade_sim.provider.qrinfo import router as qr_router
from aade_sim.provider.service import ProviderService
from aade_sim.registry.endpoints import router as registry_router
from aade_sim.registry.service import RegistryDesk
from aade_sim.settings import AadeSimSettings
from aade_sim.state.sqlite import SqlitePersistence
from aade_sim.state.store import Store
from kit.app import create_service_app

SERVICE = "aade-sim"


def _provider(settings: AadeSimSettings) -> ProviderService:
    persistence = SqlitePersistence(settings.db_path) if settings.db_path else None
    return ProviderService(
        # The XSD is loaded once, here.
        InvoicesReader(settings.xsd_dir(), validate=not settings.bench_mode),
        Store(settings.mark_base, persistence),
        public_url=settings.public_url,
        receivers=settings.receivers(),
        inline_max_bytes=settings.inline_validation_max_bytes,
        page_size=settings.page_size,
    )


def create_app(settings: AadeSimSettings | None = None) -> FastAPI:
    settings = settings or AadeSimSettings()
    app = create_service_app(SERVICE)
    # Static state lives on the app (not in a lifespan) so it exists however the app is driven.
    app.state.settings = settings
    app.state.provider = _provider(settings)
    app.state.faults = Faults()
    app.state.registry = RegistryDesk(settings.registry_user_map(), settings.hang_max_s)
    # Appended, not add_middleware(): the API front sits *inside* kit's request-id/metrics
    # middleware, so 401s and injected faults are logged and counted like any answer.
    front = Middleware(
        ProviderFront,
        credentials=settings.credential_map(),
        faults=app.state.faults,
        hang_limit_s=settings.hang_max_s,
    )
    app.user_middleware.append(front)
    app.include_router(provider_router)
    app.include_router(qr_router)
    app.include_router(registry_router)
    if settings.admin_enabled:
        app.include_router(admin_router)
    return app
