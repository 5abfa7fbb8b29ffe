"""``Annotated`` dependencies: the process's runtime, and who is asking.

A page declares what it needs: ``Guest`` (anyone; the session if there is one), ``Member`` (a
logged-in user past the first-login steps), ``Customer``, ``Auditor``, or ``Reader`` (whoever
may read a customer's invoices: the customer, or an auditor who picked that customer). Missing
or expired sessions are sent to the login page; other roles get a 403 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Request

from contracts.portal import PortalSession, PortalUser
from kit.errors import Forbidden
from portal_web.apidocs.service import ApiDocs
from portal_web.clients.http import SessionGone, Upstream
from portal_web.clients.invoices import InvoiceClient
from portal_web.clients.notices import NoticesClient
from portal_web.clients.notifier import NotifierClient
from portal_web.clients.receivers import ReceiverClient
from portal_web.clients.registry import VatRegistryClient
from portal_web.clients.tenant_admin import TenantAdminClient
from portal_web.clients.webhooks import WebhooksClient
from portal_web.documents.pdf import PdfRenderer
from portal_web.settings import PortalSettings
from webkit.cookies import PORTAL_COOKIES
from webkit.errors import Redirect
from webkit.guesses import MissLimiter
from webkit.i18n import DEFAULT_LOCALE, Locale, as_locale
from webkit.pages import PageContext, Pages
from webkit.security import CSRF_FIELD, check_csrf


@dataclass(slots=True)
class PortalRuntime:
    """Everything a portal process holds between requests (built by the lifespan)."""

    settings: PortalSettings
    upstream: Upstream
    tenant_admin: TenantAdminClient
    invoices: InvoiceClient
    receivers: ReceiverClient
    registry: VatRegistryClient
    notices: NoticesClient
    api_docs: ApiDocs
    pages: Pages
    pdf: PdfRenderer
    webhooks: WebhooksClient
    notifier: NotifierClient
    guesses: MissLimiter


async def get_runtime(request: Request) -> PortalRuntime:
    runtime: PortalRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[PortalRuntime, Depends(get_runtime)]


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is asking: their session (if any), the page's language and layout, their address."""

    request: Request
    page: PageContext
    session: PortalSession | None
    client_ip: str
    session_expired: bool = False

    @property
    def locale(self) -> Locale:
        return self.page.locale

    @property
    def live(self) -> PortalSession:
        """The session of a page that requires one (``Member`` and narrower)."""
        if self.session is None:
            raise Redirect("/login")
        return self.session

    @property
    def user(self) -> PortalUser:
        return self.live.user


async def guest(request: Request, runtime: RuntimeDep) -> Visitor:
    session_id = request.cookies.get(PORTAL_COOKIES.session)
    session: PortalSession | None = None
    expired = False
    if session_id:
        try:
            session = await runtime.tenant_admin.session(session_id)
        except SessionGone:
            expired = True
            request.state.drop_session = True
    chosen = as_locale(getattr(request.state, "lang", None))
    profile = session.user.language if session else None
    locale: Locale = chosen or profile or DEFAULT_LOCALE
    page = runtime.pages.context(request, locale, session)
    client = request.client.host if request.client else ""
    return Visitor(request, page, session, client, expired)


Guest = Annotated[Visitor, Depends(guest)]


def login_url(request: Request, *, expired: bool) -> str:
    query: dict[str, str] = {}
    if expired:
        query["expired"] = "1"
    if request.method == "GET" and not request.headers.get("hx-request"):
        query["next"] = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login" + (f"?{urlencode(query)}" if query else "")


async def member(visitor: Guest) -> Visitor:
    """A logged-in user who changed the first password and accepted both terms (PORTAL-2)."""
    if visitor.session is None:
        raise Redirect(login_url(visitor.request, expired=visitor.session_expired))
    user = visitor.session.user
    if user.must_change_password:
        raise Redirect("/first-login/password")
    if not user.accepted_terms:
        raise Redirect("/first-login/terms")
    return visitor


Member = Annotated[Visitor, Depends(member)]


async def customer(visitor: Member) -> Visitor:
    if visitor.user.role != "customer":
        raise Forbidden("customers only")
    return visitor


async def auditor(visitor: Member) -> Visitor:
    if visitor.user.role != "aade_user":
        raise Forbidden("AADE users only")
    return visitor


Customer = Annotated[Visitor, Depends(customer)]
Auditor = Annotated[Visitor, Depends(auditor)]


@dataclass(frozen=True, slots=True)
class InvoiceReader:
    """Whoever reads one customer's invoices: ``audited`` when an auditor does (AuditView)."""

    visitor: Visitor
    tenant_id: str
    audited: bool
    company_name: str  # the customer's, printed as issuer when the ERP sent no is_name


async def invoice_reader(visitor: Member) -> InvoiceReader:
    session = visitor.live
    if session.user.role == "customer":
        user = session.user
        return InvoiceReader(visitor, user.customer_id, False, user.company_name)
    if session.acting_for is None:
        raise Redirect("/auditor")
    acting = session.acting_for
    return InvoiceReader(visitor, acting.customer_id, True, acting.company_name)


Reader = Annotated[InvoiceReader, Depends(invoice_reader)]


async def signed_in(visitor: Guest) -> Visitor:
    """A session, whatever its first-login state (the first-login pages themselves)."""
    if visitor.session is None:
        raise Redirect(login_url(visitor.request, expired=visitor.session_expired))
    return visitor


SignedIn = Annotated[Visitor, Depends(signed_in)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]


def _checked(visitor: Visitor, token: str) -> Visitor:
    check_csrf(visitor.request, token, visitor.live.csrf_token)
    return visitor


async def signed_in_post(visitor: SignedIn, csrf_token: CsrfField = "") -> Visitor:
    return _checked(visitor, csrf_token)


async def customer_post(visitor: Customer, csrf_token: CsrfField = "") -> Visitor:
    return _checked(visitor, csrf_token)


async def auditor_post(visitor: Auditor, csrf_token: CsrfField = "") -> Visitor:
    return _checked(visitor, csrf_token)


# Form posts: the same visitors, once the CSRF token and the Origin were checked.
SignedInPost = Annotated[Visitor, Depends(signed_in_post)]
CustomerPost = Annotated[Visitor, Depends(customer_post)]
AuditorPost = Annotated[Visitor, Depends(auditor_post)]
