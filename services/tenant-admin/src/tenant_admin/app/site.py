"""The admin app as a FastAPI application of its own, mounted by tenant-admin at ``PREFIX``: its
pages, static files, error pages and middleware (security headers, CSRF-friendly cookies, body
caps) apply to it alone, and the JSON API beside it keeps its JSON errors.

A mounted application gets no lifespan of its own: tenant-admin's lifespan builds the
``AdminSite`` (``open_site``) and closes it (``close_site``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from kit.auth import ServiceTokens
from kit.db import transaction
from tenant_admin.app.audit.endpoints import router as audit_router
from tenant_admin.app.auth.endpoints import router as auth_router
from tenant_admin.app.calls.endpoints import router as calls_router
from tenant_admin.app.databases.endpoints import router as databases_router
from tenant_admin.app.deps import ADMIN_COOKIES, PREFIX, AdminSite
from tenant_admin.app.lossnotices.endpoints import router as notices_router
from tenant_admin.app.packages.endpoints import router as packages_router
from tenant_admin.app.resend.endpoints import router as resend_router
from tenant_admin.app.users.endpoints import router as users_router
from tenant_admin.background import BackgroundJobs
from tenant_admin.resend.service import interrupt_stale
from tenant_admin.runtime import AdminRuntime
from tenant_admin.sessions import SessionLimits
from tenant_admin.upstream.clients import NotifierClient, RegistryClient, ResendClient
from tenant_admin.upstream.http import Upstream
from webkit import formats
from webkit.cookies import LanguageCookieMiddleware
from webkit.errors import install_page_errors
from webkit.i18n import load_catalogs
from webkit.limits import BodyLimitMiddleware
from webkit.pages import Pages
from webkit.security import SecurityHeadersMiddleware

SERVICE = "tenant-admin"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
STATIC_DIR = Path(__file__).resolve().parent / "static"
TITLE = "e-invoicing admin"
ROUTERS = (auth_router, users_router, databases_router, packages_router, calls_router,
           resend_router, notices_router, audit_router)  # fmt: skip


def _local_day(value: datetime | None) -> str:
    """The Athens date of a moment, DD/MM/YYYY (a package's end as the form shows it)."""
    return formats.day(value.astimezone(formats.ATHENS)) if value else ""


def _moment_seconds(value: datetime | None) -> str:
    """DD/MM/YYYY HH:MM:SS in Athens: calls and actions seconds apart stay apart."""
    return (
        value.astimezone(formats.ATHENS).strftime(formats.DAY_FORMAT + " %H:%M:%S") if value else ""
    )


def create_pages() -> Pages:
    pages = Pages("tenant_admin.app", load_catalogs(LOCALE_DIR), TITLE, PREFIX, {"app": PREFIX})
    pages.env.filters.update(local_day=_local_day, moment_seconds=_moment_seconds)
    return pages


def create_admin_app(cookie_secure: bool) -> FastAPI:
    app = FastAPI(title=TITLE, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pages = create_pages()
    install_page_errors(app, app.state.pages)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(LanguageCookieMiddleware, names=ADMIN_COOKIES, secure=cookie_secure)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


async def open_site(admin_app: FastAPI, runtime: AdminRuntime) -> AdminSite:
    settings = runtime.settings
    tokens = ServiceTokens(
        runtime.internal_codec, SERVICE, ttl_seconds=settings.internal_token_ttl_s
    )
    upstream = Upstream(tokens, settings.admin_upstream_timeout_s)
    await upstream.start()
    async with transaction(runtime.engine) as conn:
        await interrupt_stale(conn)  # a "resend all" this process's predecessor left running
    site = AdminSite(
        runtime=runtime, pages=admin_app.state.pages, upstream=upstream,
        notifier=NotifierClient(upstream, settings.notifier_url),
        resend=ResendClient(upstream, settings.mydata_sync_url), jobs=BackgroundJobs(),
        registry=RegistryClient(upstream, settings.mydata_sync_url),
        limits=SessionLimits(settings.admin_session_idle_s, settings.admin_session_max_s),
    )  # fmt: skip
    admin_app.state.site = site
    return site


async def close_site(site: AdminSite) -> None:
    await site.jobs.stop()
    await site.upstream.close()
