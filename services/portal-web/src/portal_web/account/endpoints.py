"""``/account`` (PORTAL-9, -10): read-only company data, password change, API token, business
details. Customers only: an auditor has no account pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import RedirectResponse, Response

from portal_web.account import service
from portal_web.account.logo import MAX_BYTES
from portal_web.auth import service as auth
from portal_web.deps import Customer, CustomerPost, RuntimeDep
from webkit.i18n import N_, Message

router = APIRouter(tags=["account"], include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=2000)]
DONE = {
    "password": N_("Your password was changed."),
    "branding": N_("The business details were saved."),
}


@router.get("/account")
async def account(visitor: Customer, runtime: RuntimeDep, done: str = "") -> Response:
    messages = [Message(DONE[done], level="success")] if done in DONE else []
    return runtime.pages.render(visitor.page, "account/index.html", messages=messages)


@router.get("/account/password")
async def password_page(visitor: Customer, runtime: RuntimeDep) -> Response:
    return runtime.pages.render(visitor.page, "account/password.html", messages=[])


@router.post("/account/password")
async def change_password(
    visitor: CustomerPost, runtime: RuntimeDep, current_password: Text = "",
    new_password: Text = "", repeat_password: Text = "",
) -> Response:  # fmt: skip
    problems = auth.password_problems(current_password, new_password, repeat_password)
    if not problems:
        problems = await auth.change_password(
            runtime.tenant_admin, visitor.live.session_id, current_password, new_password
        )
    if problems:
        return runtime.pages.render(
            visitor.page, "account/password.html", status=400, messages=problems
        )
    return RedirectResponse("/account?done=password", status_code=303)


@router.post("/account/token")
async def generate_token(visitor: CustomerPost, runtime: RuntimeDep) -> Response:
    issued = await runtime.tenant_admin.new_api_token(visitor.live.session_id)
    # Shown once, on this answer only (no-store): tenant-admin keeps only its hash.
    return runtime.pages.render(visitor.page, "account/token.html", issued=issued)


@router.get("/account/branding")
async def branding_page(visitor: Customer, runtime: RuntimeDep) -> Response:
    branding = await runtime.invoices.branding(visitor.user.customer_id)
    return runtime.pages.render(
        visitor.page, "account/branding.html", branding=branding, messages=[]
    )


@router.post("/account/branding")
async def save_branding(
    visitor: CustomerPost, runtime: RuntimeDep, logo: Annotated[UploadFile | None, File()] = None,
    details_el: LongText = "", details_en: LongText = "", header_el: LongText = "",
    header_en: LongText = "", footer_el: LongText = "", footer_en: LongText = "",
) -> Response:  # fmt: skip
    tenant = visitor.user.customer_id
    current = await runtime.invoices.branding(tenant)
    form = {"details_el": details_el, "details_en": details_en, "header_el": header_el,
            "header_en": header_en, "footer_el": footer_el, "footer_en": footer_en}  # fmt: skip
    branding = service.read_branding(form, current.has_logo)
    content = await logo.read(MAX_BYTES + 1) if logo is not None else b""
    problems = (
        [branding]
        if isinstance(branding, Message)
        else await service.save_branding(runtime.invoices, tenant, branding, content or None)
    )
    if problems:
        shown = current if isinstance(branding, Message) else branding
        return runtime.pages.render(
            visitor.page, "account/branding.html", status=400, branding=shown, messages=problems
        )
    return RedirectResponse("/account?done=branding", status_code=303)
