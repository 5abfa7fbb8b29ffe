"""The invoice-service application: ``create_app`` wires settings, auth, routes and the lifespan
(tenant engines, the transmit client, the broker, the outcome consumer, the outbox sweep)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

import aiohttp
from fastapi import FastAPI

from invoice_service.branding.endpoints import router as branding_router
from invoice_service.browse.endpoints import router as browse_router
from invoice_service.browse.service import Browser
from invoice_service.consumers.outbox_sweep import SWEEP_ENGINES
from invoice_service.invoices.endpoints import router as invoices_router
from invoice_service.invoices.service import Issuance
from invoice_service.invoices.transmission import TransmitClient
from invoice_service.messaging import Messaging
from invoice_service.settings import InvoiceServiceSettings
from invoice_service.tenants import TenantDirectory, tenant_engines
from kit.app import ReadinessCheck, create_service_app
from kit.auth import ServiceTokens, TokenCodec, internal_audience
from kit.credentials import Door
from kit.db import enforce_budget, is_database_unavailable
from kit.http import INTERNAL_KEEPALIVE_S
from mydata.xsd import SchemaValidator

SERVICE = "invoice-service"
_PROTECTED = ("/internal/", "/invoice-data")
log = logging.getLogger("invoice_service.main")


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    # Tenant databases are checked per request, not here, so that one broken customer database
    # does not take the service out of rotation for everybody.
    messaging: Messaging | None = getattr(app.state, "messaging", None)
    return {"broker": messaging.ping if messaging else _not_started}


async def _not_started() -> None:
    raise RuntimeError("the service is still starting")


async def _check_connection_budget(settings: InvoiceServiceSettings) -> None:
    """Refuse to start when this process's tenant pools (request path + outbox sweep, each
    counted at the larger pool size) could pass 80% of the server's max_connections (DESIGN.md
    §3); checked against the catalog's server, where the default placement puts tenants."""
    try:
        await enforce_budget(
            settings.catalog_dsn,
            processes=1,
            engines=settings.tenant_engines_max + SWEEP_ENGINES,
            pool_size=settings.tenant_pool_size,
        )
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        # The service starts without its databases (readiness tells); the check waits for the
        # next start rather than holding this one up.
        log.warning("connection budget not checked: database server unreachable: %s", exc)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: InvoiceServiceSettings = app.state.settings
    async with AsyncExitStack() as stack:
        connector = aiohttp.TCPConnector(keepalive_timeout=INTERNAL_KEEPALIVE_S)
        http = await stack.enter_async_context(aiohttp.ClientSession(connector=connector))
        await _check_connection_budget(settings)
        tokens = ServiceTokens(app.state.internal_codec, SERVICE)
        directory = TenantDirectory(http, settings.tenant_admin_url, tokens.to("tenant-admin"))
        engines = tenant_engines(directory, settings.tenant_engines_max, settings.tenant_pool_size)
        stack.push_async_callback(engines.dispose_all)
        validator = SchemaValidator()
        await asyncio.to_thread(validator.load)  # fail at start, not on the first invoice
        transmitter = TransmitClient(
            http,
            settings.mydata_sync_url,
            tokens.to("mydata-sync"),
            settings.transmit_rpc_timeout_s,
        )
        app.state.issuance = Issuance(engines, transmitter, validator, settings.portal_public_url)
        app.state.browser = Browser(settings.portal_public_url)
        messaging = Messaging(settings, SERVICE, engines, directory, app.state.issuance)
        messaging.start()
        stack.push_async_callback(messaging.stop)
        app.state.messaging = messaging
        yield


def create_app(settings: InvoiceServiceSettings | None = None) -> FastAPI:
    settings = settings or InvoiceServiceSettings()
    # A token before any body is read (the routes verify it again, with its tenant binding).
    doors = [Door(prefix, lambda state: state.internal_codec) for prefix in _PROTECTED]
    app = create_service_app(SERVICE, lifespan=lifespan, readiness=_readiness, doors=doors)
    # Static state lives on the app so that it exists however the app is driven.
    app.state.settings = settings
    app.state.internal_codec = TokenCodec(
        settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
    )
    app.include_router(invoices_router)
    app.include_router(browse_router)
    app.include_router(branding_router)
    return app
