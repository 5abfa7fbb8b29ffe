"""``Annotated`` dependencies of the admin app: the site's objects, and who is asking.

A page declares ``Guest`` (the login page), ``Operator`` (any page behind the login) or
``OperatorPost`` (a form post: the session's CSRF token and this site's Origin are checked). A
missing or expired session is sent to the login page (an htmx request navigates there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Path, Request

from kit.db import transaction
from tenant_admin.audit.service import Actor
from tenant_admin.background import BackgroundJobs
from tenant_admin.operators.service import OperatorSession, OperatorSessionGone, load_session
from tenant_admin.runtime import AdminRuntime
from tenant_admin.sessions import SessionLimits
from tenant_admin.tenants.schemas import TenantDetail
from tenant_admin.tenants.service import get_tenant
from tenant_admin.upstream.clients import NotifierClient, RegistryClient, ResendClient
from tenant_admin.upstream.http import Upstream
from webkit.cookies import CookieNames
from webkit.errors import HX_REQUEST, Redirect
from webkit.i18n import DEFAULT_LOCALE, Locale, as_locale
from webkit.pages import PageContext, Pages
from webkit.security import CSRF_FIELD, check_csrf

PREFIX = "/admin-app"
# Cookies ignore ports: the portal's are einv_*; these are the admin app's, sent to it only.
ADMIN_COOKIES = CookieNames(
    "einv_admin_session", "einv_admin_login_csrf", "einv_admin_lang",
    path=PREFIX, login_path=PREFIX + "/login",
)  # fmt: skip


@dataclass(slots=True)
class AdminSite:
    """What the admin app holds between requests (built by tenant-admin's lifespan)."""

    runtime: AdminRuntime
    pages: Pages
    upstream: Upstream
    notifier: NotifierClient
    resend: ResendClient
    registry: RegistryClient
    jobs: BackgroundJobs
    limits: SessionLimits


async def get_site(request: Request) -> AdminSite:
    site: AdminSite = request.app.state.site
    return site


Site = Annotated[AdminSite, Depends(get_site)]


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is asking: their session (if any), the page's language and layout, their address."""

    request: Request
    page: PageContext
    session: OperatorSession | None
    client_ip: str
    expired: bool = False

    @property
    def locale(self) -> Locale:
        return self.page.locale

    @property
    def operator(self) -> OperatorSession:
        if self.session is None:
            raise Redirect(login_url(self.request, expired=self.expired))
        return self.session

    @property
    def actor(self) -> Actor:
        return Actor(self.operator.username, self.client_ip)

    @property
    def htmx(self) -> bool:
        return bool(self.request.headers.get(HX_REQUEST))


async def _session(request: Request, site: AdminSite) -> OperatorSession | None:
    session_id = request.cookies.get(ADMIN_COOKIES.session)
    if not session_id or len(session_id) > 100:
        return None
    try:
        async with transaction(site.runtime.engine) as conn:
            return await load_session(conn, site.limits, session_id)
    except OperatorSessionGone:
        request.state.drop_session = True
        return None


async def guest(request: Request, site: Site) -> Visitor:
    session = await _session(request, site)
    expired = bool(getattr(request.state, "drop_session", False))
    locale: Locale = as_locale(getattr(request.state, "lang", None)) or DEFAULT_LOCALE
    page = site.pages.context(request, locale, session)
    client = request.client.host if request.client else ""
    return Visitor(request, page, session, client, expired)


Guest = Annotated[Visitor, Depends(guest)]


def login_url(request: Request, *, expired: bool) -> str:
    query: dict[str, str] = {}
    if expired:
        query["expired"] = "1"
    if request.method == "GET" and not request.headers.get(HX_REQUEST):
        query["next"] = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{PREFIX}/login" + (f"?{urlencode(query)}" if query else "")


async def operator(visitor: Guest) -> Visitor:
    _ = visitor.operator  # a Redirect to the login page when there is no live session
    return visitor


Operator = Annotated[Visitor, Depends(operator)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
UserId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The customer's id")]


async def operator_post(visitor: Operator, csrf_token: CsrfField = "") -> Visitor:
    check_csrf(visitor.request, csrf_token, visitor.operator.csrf_token)
    return visitor


OperatorPost = Annotated[Visitor, Depends(operator_post)]


async def load_user(site: AdminSite, customer_id: str) -> TenantDetail:
    """The user of a ``/users/{id}…`` page (a 404 page when there is none)."""
    async with transaction(site.runtime.engine) as conn:
        return await get_tenant(conn, customer_id)
