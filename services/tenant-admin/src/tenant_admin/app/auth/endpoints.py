"""``/admin-app/login`` and ``/admin-app/logout``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from kit.db import transaction
from kit.errors import TooManyRequests, Unauthorized
from tenant_admin.app.auth import service
from tenant_admin.app.deps import ADMIN_COOKIES, PREFIX, Guest, OperatorPost, Site, Visitor
from webkit.cookies import (
    drop_login_csrf_cookie,
    drop_session_cookie,
    is_secure,
    set_login_csrf_cookie,
    set_session_cookie,
)
from webkit.i18n import N_, Message
from webkit.security import check_csrf, new_token

# Mounted at PREFIX: these paths are relative to it; redirects name the full path.
router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


@router.get("/")
async def home(visitor: Guest) -> Response:
    target = service.HOME if visitor.session else PREFIX + "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/login")
async def login_page(visitor: Guest, site: Site, expired: str = "", next: str = "") -> Response:
    messages = [Message(N_("Your session has expired. Please log in again."))] if expired else []
    return _login_form(visitor, site, messages, wanted=next)


@router.post("/login")
async def log_in(
    request: Request, visitor: Guest, site: Site, username: Text = "", password: Text = "",
    csrf_token: Text = "", next: Text = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token, request.cookies.get(ADMIN_COOKIES.login_csrf))
    previous = request.cookies.get(ADMIN_COOKIES.session)
    credentials = (username.strip(), password, visitor.client_ip)
    try:
        async with transaction(site.runtime.engine) as conn:
            outcome = await service.log_in(conn, site, credentials, previous)
    except (Unauthorized, TooManyRequests) as refused:
        messages = [service.refusal(refused)]
        return _login_form(visitor, site, messages, username=username, wanted=next, status=400)
    response = RedirectResponse(service.safe_next(next) or service.HOME, status_code=303)
    secure = _secure(request, site)
    set_session_cookie(response, ADMIN_COOKIES, outcome.session_id, secure)
    drop_login_csrf_cookie(response, ADMIN_COOKIES, secure)
    return response


@router.post("/logout")
async def log_out(request: Request, visitor: OperatorPost, site: Site) -> Response:
    async with transaction(site.runtime.engine) as conn:
        await service.log_out(conn, visitor.operator, visitor.actor)
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    drop_session_cookie(response, ADMIN_COOKIES, _secure(request, site))
    return response


def _login_form(
    visitor: Visitor,
    site: Site,
    messages: list[Message],
    *,
    username: str = "",
    wanted: str | None = None,
    status: int = 200,
) -> Response:
    token = new_token()
    response = site.pages.render(
        visitor.page, "auth/login.html", status=status, messages=messages,
        login_csrf=token, username=username, next=service.safe_next(wanted) or "",
    )  # fmt: skip
    set_login_csrf_cookie(response, ADMIN_COOKIES, token, _secure(visitor.request, site))
    return response


def _secure(request: Request, site: Site) -> bool:
    return is_secure(request, site.runtime.settings.admin_cookie_secure)
