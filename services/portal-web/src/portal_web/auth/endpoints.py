"""``/login``, ``/logout`` and the first-login steps (PORTAL-2, -11)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from portal_web.auth import service
from portal_web.deps import Guest, RuntimeDep, SignedIn, SignedInPost, Visitor
from webkit.cookies import (
    PORTAL_COOKIES,
    drop_login_csrf_cookie,
    drop_session_cookie,
    is_secure,
    set_login_csrf_cookie,
    set_session_cookie,
)
from webkit.i18n import N_, Message
from webkit.security import check_csrf, new_token

router = APIRouter(tags=["auth"], include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]
Checkbox = Annotated[str, Form(max_length=10)]


@router.get("/login")
async def login_page(visitor: Guest, runtime: RuntimeDep, expired: str = "") -> Response:
    messages = []
    if expired:
        messages.append(Message(N_("Your session has expired. Please log in again.")))
    return _login_form(visitor, runtime, messages, wanted=visitor.request.query_params.get("next"))


@router.post("/login")
async def log_in(
    request: Request, visitor: Guest, runtime: RuntimeDep, username: Text = "",
    password: Text = "", csrf_token: Text = "", next: Text = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token, request.cookies.get(PORTAL_COOKIES.login_csrf))
    outcome = await service.log_in(
        runtime.tenant_admin, username.strip(), password, visitor.client_ip,
        request.cookies.get(PORTAL_COOKIES.session),
    )  # fmt: skip
    if isinstance(outcome, Message):
        return _login_form(visitor, runtime, [outcome], username=username, wanted=next, status=400)
    response = RedirectResponse(service.after_login(outcome, next), status_code=303)
    secure = _secure(request, runtime)
    set_session_cookie(response, PORTAL_COOKIES, outcome.session_id, secure)
    drop_login_csrf_cookie(response, PORTAL_COOKIES, secure)
    return response


@router.post("/logout")
async def log_out(request: Request, visitor: SignedInPost, runtime: RuntimeDep) -> Response:
    await service.end_session(runtime.tenant_admin, visitor.live.session_id)
    response = RedirectResponse("/", status_code=303)
    drop_session_cookie(response, PORTAL_COOKIES, _secure(request, runtime))
    return response


@router.get("/first-login/password")
async def first_password_page(visitor: SignedIn, runtime: RuntimeDep) -> Response:
    if not visitor.user.must_change_password:
        return RedirectResponse(service.after_login(visitor.live, None), status_code=303)
    return runtime.pages.render(visitor.page, "auth/first_password.html", messages=[])


@router.post("/first-login/password")
async def first_password(
    visitor: SignedInPost, runtime: RuntimeDep, current_password: Text = "",
    new_password: Text = "", repeat_password: Text = "",
) -> Response:  # fmt: skip
    problems = service.password_problems(current_password, new_password, repeat_password)
    if not problems:
        problems = await service.change_password(
            runtime.tenant_admin, visitor.live.session_id, current_password, new_password
        )
    if problems:
        return runtime.pages.render(
            visitor.page, "auth/first_password.html", status=400, messages=problems
        )
    session = await runtime.tenant_admin.session(visitor.live.session_id)
    return RedirectResponse(service.after_login(session, None), status_code=303)


@router.get("/first-login/terms")
async def terms_page(visitor: SignedIn, runtime: RuntimeDep) -> Response:
    if visitor.user.accepted_terms:
        return RedirectResponse(service.after_login(visitor.live, None), status_code=303)
    return runtime.pages.render(
        visitor.page, "auth/terms.html", messages=[], contract=False, usage=False
    )


@router.post("/first-login/terms")
async def accept_terms(
    visitor: SignedInPost, runtime: RuntimeDep, contract: Checkbox = "", usage: Checkbox = ""
) -> Response:
    outcome = await service.accept_terms(
        runtime.tenant_admin, visitor.live.session_id, bool(contract), bool(usage),
        visitor.client_ip,
    )  # fmt: skip
    if isinstance(outcome, Message):
        return runtime.pages.render(
            visitor.page, "auth/terms.html", status=400, messages=[outcome],
            contract=bool(contract), usage=bool(usage),
        )  # fmt: skip
    return RedirectResponse(service.after_login(outcome, None), status_code=303)


def _login_form(
    visitor: Visitor,
    runtime: RuntimeDep,
    messages: list[Message],
    *,
    username: str = "",
    wanted: str | None = None,
    status: int = 200,
) -> Response:
    token = new_token()
    response = runtime.pages.render(
        visitor.page, "auth/login.html", status=status, messages=messages,
        login_csrf=token, username=username, next=service.safe_next(wanted) or "",
    )  # fmt: skip
    set_login_csrf_cookie(response, PORTAL_COOKIES, token, _secure(visitor.request, runtime))
    return response


def _secure(request: Request, runtime: RuntimeDep) -> bool:
    return is_secure(request, runtime.settings.cookie_secure)
