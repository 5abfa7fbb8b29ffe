"""The invoice-service application: ``create_app`` wires settings, auth and routes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from fastapi import FastAPI

from invoice_service.health import check_broker
from invoice_service.invoices.endpoints import router as invoices_router
from invoice_service.settings import InvoiceServiceSettings
from kit.app import ReadinessCheck, create_service_app
from kit.auth import INTERNAL_AUDIENCE, TokenCodec

SERVICE = "invoice-service"


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    settings: InvoiceServiceSettings = app.state.settings
    # No database of its own: tenant databases are checked per request, not for readiness,
    # so one broken customer database does not take the service out of rotation.
    return {"broker": partial(check_broker, settings.amqp_url)}


def create_app(settings: InvoiceServiceSettings | None = None) -> FastAPI:
    settings = settings or InvoiceServiceSettings()
    app = create_service_app(SERVICE, readiness=_readiness)
    # Static state lives on the app (not in a lifespan) so it exists however the app is driven.
    app.state.settings = settings
    app.state.internal_codec = TokenCodec(
        settings.internal_token_secret, settings.token_issuer, INTERNAL_AUDIENCE
    )
    app.include_router(invoices_router)
    return app
