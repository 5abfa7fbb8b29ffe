"""The api-gateway application: the one public door for ERP calls (DESIGN.md §2)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI

from api_gateway.auth.cache import TokenStatusCache
from api_gateway.auth.repository import load_token
from api_gateway.auth.service import Authenticator
from api_gateway.calllog.recorder import CallRecorder
from api_gateway.calllog.repository import insert_calls
from api_gateway.calllog.service import CallLog
from api_gateway.consumers.revocations import RevocationListener
from api_gateway.deps import GatewayRuntime
from api_gateway.forwarding.client import Upstream
from api_gateway.forwarding.services import ServiceCaller
from api_gateway.invoices.endpoints import router as invoices_router
from api_gateway.invoices.service import InvoiceForwarder
from api_gateway.limits.ratelimit import RateLimiter
from api_gateway.notices.endpoints import router as notices_router
from api_gateway.registry.endpoints import router as registry_router
from api_gateway.settings import GatewaySettings
from api_gateway.status.endpoints import router as status_router
from api_gateway.status.service import StatusDesk
from kit.app import ReadinessCheck, create_service_app
from kit.auth import API_AUDIENCE, ServiceTokens, TokenCodec, internal_audience
from kit.db import libpq_dsn

SERVICE = "api-gateway"
DESCRIPTION = (
    "The ERP interface of the e-invoicing platform (seed 002). Every call carries the customer's"
    " API token as ``Authorization: Bearer <token>``; errors use"
    ' ``{"ok": 0, "code": ..., "error": {"title", "message"}}``.'
)


async def build_runtime(settings: GatewaySettings) -> GatewayRuntime:
    catalog = await asyncpg.create_pool(
        libpq_dsn(settings.catalog_dsn), min_size=1, max_size=settings.catalog_pool_size
    )
    upstream = Upstream(
        settings.invoice_service_url,
        connect_timeout_s=settings.upstream_connect_timeout_s,
        timeout_s=settings.upstream_timeout_s,
        max_connections=settings.upstream_max_connections,
    )
    await upstream.start()
    statuses = TokenStatusCache(
        lambda jti: load_token(catalog, jti),
        ttl_s=settings.token_cache_ttl_s,
        max_entries=settings.token_cache_size,
    )
    tokens = _internal_tokens(settings)
    mydata_sync = ServiceCaller(
        await _service(settings, settings.mydata_sync_url), tokens, "mydata-sync"
    )
    tenant_admin = ServiceCaller(
        await _service(settings, settings.tenant_admin_url), tokens, "tenant-admin"
    )
    recorder = CallRecorder(
        lambda rows: insert_calls(catalog, rows), budget_bytes=settings.api_call_log_buffer_bytes
    )
    return GatewayRuntime(
        settings=settings,
        catalog=catalog,
        upstream=upstream,
        authenticator=Authenticator(_api_codec(settings), statuses),
        limiter=RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst),
        invoices=InvoiceForwarder(catalog, upstream, tokens.to("invoice-service")),
        revocations=RevocationListener(settings.amqp_url, statuses.revoke),
        call_log=CallLog(recorder),
        mydata_sync=mydata_sync,
        tenant_admin=tenant_admin,
        status=StatusDesk(mydata_sync, upstream),
        registry_limiter=RateLimiter(settings.registry_rate_per_s, settings.registry_burst),
    )


async def _service(settings: GatewaySettings, url: str) -> Upstream:
    upstream = Upstream(
        url,
        connect_timeout_s=settings.upstream_connect_timeout_s,
        timeout_s=settings.services_timeout_s,
        max_connections=20,
    )
    await upstream.start()
    return upstream


def _api_codec(settings: GatewaySettings) -> TokenCodec:
    return TokenCodec(settings.api_token_secret, settings.token_issuer, API_AUDIENCE)


def _internal_tokens(settings: GatewaySettings) -> ServiceTokens:
    # Signs for each receiver through .to(service); the gateway itself accepts none.
    codec = TokenCodec(
        settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
    )
    return ServiceTokens(codec, SERVICE, ttl_seconds=settings.internal_token_ttl_s)


async def close_runtime(runtime: GatewayRuntime) -> None:
    await runtime.call_log.recorder.close()  # what is buffered is written, before the pool goes
    await runtime.revocations.close()
    await runtime.upstream.close()
    await runtime.mydata_sync.upstream.close()
    await runtime.tenant_admin.upstream.close()
    await runtime.catalog.close()


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: GatewayRuntime = app.state.runtime
    return {
        "catalog": lambda: runtime.catalog.fetchval("SELECT 1"),
        "token_revocations": runtime.revocations.check,
    }


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway app; ``settings`` default to the environment (``EINV_``)."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await build_runtime(settings)
        app.state.runtime = runtime
        runtime.revocations.start()
        runtime.call_log.recorder.start()
        try:
            yield
        finally:
            await close_runtime(runtime)

    app = create_service_app(
        SERVICE, lifespan=lifespan, readiness=_readiness, description=DESCRIPTION, version="1"
    )
    for router in (invoices_router, registry_router, notices_router, status_router):
        app.include_router(router)
    return app
