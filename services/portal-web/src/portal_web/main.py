"""The portal application (SPEC PORTAL-1…11): pages over tenant-admin, invoice-service and
mydata-sync's internal APIs (``contracts.portal``); no database of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from kit.app import ReadinessCheck, create_service_app
from kit.auth import ServiceTokens, TokenCodec, internal_audience
from portal_web.account.endpoints import router as account_router
from portal_web.apidocs.endpoints import router as apidocs_router
from portal_web.apidocs.service import ApiDocs
from portal_web.auditors.endpoints import router as auditors_router
from portal_web.auth.endpoints import router as auth_router
from portal_web.clients.http import Upstream, expect_ok
from portal_web.clients.invoices import InvoiceClient
from portal_web.clients.notices import NoticesClient
from portal_web.clients.notifier import NotifierClient
from portal_web.clients.receivers import ReceiverClient
from portal_web.clients.registry import VatRegistryClient
from portal_web.clients.tenant_admin import TenantAdminClient
from portal_web.clients.webhooks import WebhooksClient
from portal_web.deps import PortalRuntime
from portal_web.documents import codes
from portal_web.documents.pdf import PdfRenderer
from portal_web.internal.endpoints import router as internal_router
from portal_web.invoices.endpoints import router as invoices_router
from portal_web.notices.endpoints import router as notices_router
from portal_web.packages.endpoints import router as packages_router
from portal_web.public.endpoints import router as public_router
from portal_web.receivers.endpoints import router as receivers_router
from portal_web.registry.endpoints import router as registry_router
from portal_web.settings import PortalSettings
from portal_web.webhooks.endpoints import router as webhooks_router
from webkit.cookies import PORTAL_COOKIES, LanguageCookieMiddleware
from webkit.errors import install_page_errors
from webkit.guesses import MissLimiter
from webkit.i18n import load_catalogs
from webkit.limits import BodyLimitMiddleware
from webkit.pages import Pages
from webkit.security import SecurityHeadersMiddleware

SERVICE = "portal-web"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The one form that carries a file: the business details with the logo (≤ 2 MB).
UPLOAD_PATHS = frozenset({"/account/branding"})
STATIC_DIR = Path(__file__).resolve().parent / "static"
ROUTERS = (public_router, auth_router, invoices_router, account_router, packages_router,
           receivers_router, registry_router, auditors_router, internal_router,
           webhooks_router, notices_router, apidocs_router)  # fmt: skip


def build_runtime(settings: PortalSettings, pages: Pages) -> PortalRuntime:
    # Its own audience: it verifies the notifier's calls with it, and signs with .to(service).
    codec = TokenCodec(
        settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
    )
    tokens = ServiceTokens(codec, SERVICE, ttl_seconds=settings.internal_token_ttl_s)
    upstream = Upstream(tokens, settings.upstream_timeout_s)
    return PortalRuntime(
        settings=settings,
        upstream=upstream,
        tenant_admin=TenantAdminClient(upstream.to("tenant-admin"), settings.tenant_admin_url),
        invoices=InvoiceClient(upstream.to("invoice-service"), settings.invoice_service_url),
        receivers=ReceiverClient(upstream.to("mydata-sync"), settings.mydata_sync_url),
        registry=VatRegistryClient(upstream.to("mydata-sync"), settings.mydata_sync_url),
        notices=NoticesClient(upstream.to("tenant-admin"), settings.tenant_admin_url),
        api_docs=ApiDocs(
            upstream.to("api-gateway"), settings.api_gateway_url, settings.api_public_url
        ),
        pages=pages,
        pdf=PdfRenderer(settings.pdf_concurrency),
        webhooks=WebhooksClient(upstream.to("webhooks"), settings.webhooks_url),
        notifier=NotifierClient(upstream.to("notifier"), settings.notifier_url),
        guesses=MissLimiter(settings.search_misses, settings.search_window_s),
    )


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    runtime: PortalRuntime = app.state.runtime
    settings = runtime.settings

    def alive(url: str) -> ReadinessCheck:
        async def check() -> None:
            expect_ok(await runtime.upstream.call("GET", url.rstrip("/") + "/healthz"))

        return check

    return {
        "tenant_admin": alive(settings.tenant_admin_url),
        "invoice_service": alive(settings.invoice_service_url),
    }


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    """The portal app; ``settings`` default to the environment (``EINV_``)."""
    settings = settings or PortalSettings()
    constants = {"vat_rates": codes.VAT_RATES, "vat_names": codes.VAT_NAMES}
    catalogs = load_catalogs(LOCALE_DIR)
    pages = Pages(
        "portal_web", catalogs, settings.provider_name, settings.portal_public_url, constants
    )
    runtime = build_runtime(settings, pages)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.upstream.start()
        try:
            yield
        finally:
            await runtime.upstream.close()

    app = create_service_app(
        SERVICE, lifespan=lifespan, readiness=_readiness, docs_url=None, redoc_url=None,
        openapi_url=None,
    )  # fmt: skip
    app.state.runtime = runtime
    install_page_errors(app, pages)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimitMiddleware, upload_paths=UPLOAD_PATHS)
    app.add_middleware(
        LanguageCookieMiddleware, names=PORTAL_COOKIES, secure=settings.cookie_secure
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app
