"""``/admin-app/users…``: the list, a new user, a user's page and its form, the username check,
the generated password, the SMS preview, the e-mail, the messages sent."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from kit.db import transaction
from tenant_admin.app.databases.service import job_key, state_of
from tenant_admin.app.deps import PREFIX, Operator, OperatorPost, Site, UserId, Visitor, load_user
from tenant_admin.app.notices import notices
from tenant_admin.app.packages.service import rows as package_rows
from tenant_admin.app.users import service
from tenant_admin.app.users.forms import Problems, UserFields, check
from tenant_admin.app.users.registry import filled_from_registry
from tenant_admin.app.users.sms import password_sms_shape
from tenant_admin.passwords import generate_portal_password
from tenant_admin.tenants.schemas import TenantDetail
from tenant_admin.upstream.http import UpstreamUnavailable
from webkit.i18n import N_, Locale, Message, as_locale

router = APIRouter(prefix="/users", include_in_schema=False)
Fields = Annotated[UserFields, Form()]
MAX_PAGES = 50
WATCH_POLLS = 15  # two seconds apart: what a page that just queued a message waits at most
QUEUED = ("created", "sms", "email")
INVOICE_EMAILS_SHOWN = 50


@router.get("")
async def users(
    visitor: Operator, site: Site, q: Annotated[str, Query(max_length=100)] = "",
    pages: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
) -> Response:  # fmt: skip
    async with transaction(site.runtime.engine) as conn:
        found = await service.search(conn, q.strip(), 0, service.PAGE * pages + 1)
    return site.pages.render(
        visitor.page, "users/list.html", q=q, **_rows(found.items, 0, pages * service.PAGE)
    )


@router.get("/rows")
async def more_users(
    visitor: Operator, site: Site, q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:  # fmt: skip
    async with transaction(site.runtime.engine) as conn:
        found = await service.search(conn, q.strip(), offset, service.PAGE + 1)
    return site.pages.render(
        visitor.page, "users/_rows.html", q=q, **_rows(found.items, offset, service.PAGE)
    )


def _rows(items: list[Any], offset: int, size: int) -> dict[str, Any]:
    shown = items[:size]
    return {"rows": shown, "next_offset": offset + len(shown) if len(items) > size else None}


@router.get("/new")
async def new_user(visitor: Operator, site: Site) -> Response:
    fields = UserFields(must_change_password="1")
    return _form(site, visitor, fields)


@router.post("/new")
async def create_user(visitor: OperatorPost, site: Site, fields: Fields) -> Response:
    if fields.action == "registry":
        filled, problems, said = await filled_from_registry(site.registry, fields, visitor.locale)
        return _form(site, visitor, filled, problems=problems, registry=said)
    if fields.action == "generate":
        return _form(site, visitor, fields.model_copy(update={"password": _password()}))
    if fields.action == "check":
        async with transaction(site.runtime.engine) as conn:
            verdict = await service.username_verdict(conn, fields.username)
        return _form(site, visitor, fields, verdict=verdict)
    problems, checked = check(fields, new=True, sending=True)
    outcome: str | Problems = problems
    if checked is not None:
        async with transaction(site.runtime.engine) as conn:
            keyring = site.runtime.keyring
            outcome = await service.create_user(conn, keyring, visitor.actor, checked)
    if isinstance(outcome, str):
        return RedirectResponse(f"{PREFIX}/users/{outcome}?done=created", status_code=303)
    return _form(site, visitor, fields, problems=outcome, status=400)


@router.get("/check-username")
async def check_username(
    visitor: Operator, site: Site, username: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    async with transaction(site.runtime.engine) as conn:
        verdict = await service.username_verdict(conn, username.strip())
    return site.pages.render(visitor.page, "users/_username_verdict.html", verdict=verdict)


@router.get("/generate-password")
async def generate_password(
    visitor: Operator, site: Site, language: Annotated[str, Query(max_length=5)] = "el",
    renew: Annotated[str, Query(max_length=5)] = "",
) -> Response:  # fmt: skip
    """«Παραγωγή» / «Παραγωγή Νέου»: a new password in the form (hidden until shown), and the
    SMS it makes."""
    password = _password()
    return site.pages.render(
        visitor.page, "users/_password.html", password=password, oob=True, renew=bool(renew),
        shape=password_sms_shape(_language(language), password), problems={},
    )  # fmt: skip


@router.post("/sms-preview")
async def sms_preview(visitor: OperatorPost, site: Site, fields: Fields) -> Response:
    shape = password_sms_shape(fields.locale, fields.password) if fields.password else None
    return site.pages.render(visitor.page, "users/_sms_preview.html", shape=shape, oob=False)


@router.get("/{customer_id}")
async def user_page(visitor: Operator, site: Site, customer_id: UserId) -> Response:
    user = await load_user(site, customer_id)
    return await _user_page(site, visitor, user, _fields_of(user), {}, notices(visitor.page.query))


@router.post("/{customer_id}")
async def save_user(
    visitor: OperatorPost, site: Site, customer_id: UserId, fields: Fields
) -> Response:
    user = await load_user(site, customer_id)
    fields = fields.model_copy(update={"role": user.role, "username": user.username})
    if fields.action == "generate":
        generated = fields.model_copy(update={"password": _password()})
        return await _user_page(site, visitor, user, generated, {}, [])
    sending = fields.action == "save_sms"
    problems, checked = check(fields, new=False, sending=sending)
    if checked is not None:
        async with transaction(site.runtime.engine) as conn:
            problems = await service.update_user(
                conn, site.runtime.keyring, visitor.actor, user, checked, sending=sending
            )
    if problems:
        return await _user_page(site, visitor, user, fields, problems, [], status=400)
    done = "sms" if sending else "saved"
    return RedirectResponse(f"{PREFIX}/users/{customer_id}?done={done}", status_code=303)


@router.post("/{customer_id}/email")
async def send_email(visitor: OperatorPost, site: Site, customer_id: UserId) -> Response:
    user = await load_user(site, customer_id)
    async with transaction(site.runtime.engine) as conn:
        await service.send_username(conn, visitor.actor, user)
    return RedirectResponse(f"{PREFIX}/users/{customer_id}?done=email", status_code=303)


@router.get("/{customer_id}/messages")
async def messages(
    visitor: Operator, site: Site, customer_id: UserId,
    watch: Annotated[int, Query(ge=0, le=WATCH_POLLS)] = 0,
) -> Response:  # fmt: skip
    """The messages sent to the user and their states: polled while one is on its way, and
    ``watch`` more times after the page queued one (the relay hands it over within a second)."""
    try:
        sent = await site.notifier.messages(customer_id)
    except UpstreamUnavailable:
        sent = None
    busy = any(m.state in ("pending", "sending", "unknown") for m in sent or [])
    return site.pages.render(
        visitor.page, "users/_messages_sent.html", customer_id=customer_id, sent=sent,
        poll=busy or watch > 0, watch=max(0, watch - 1),
    )  # fmt: skip


@router.get("/{customer_id}/invoice-emails")
async def invoice_emails(visitor: Operator, site: Site, customer_id: UserId) -> Response:
    """Each transmitted invoice's e-mail to its recipient (API-10): to whom, when, or why not."""
    try:
        emails = await site.notifier.invoice_emails(customer_id, INVOICE_EMAILS_SHOWN)
    except UpstreamUnavailable:
        emails = None
    return site.pages.render(
        visitor.page, "users/_invoice_emails.html", emails=emails, shown=INVOICE_EMAILS_SHOWN
    )


def _password() -> str:
    return generate_portal_password()


def _language(value: str) -> Locale:
    return as_locale(value) or "el"


def _fields_of(user: TenantDetail) -> UserFields:
    return UserFields(
        company_name=user.company_name, vat=user.vat, surname=user.surname, name=user.name,
        mobile=user.mobile, email=user.email, role=user.role,
        contract_serial=user.contract_serial or "", sees_data_of=", ".join(user.sees_data_of),
        address=user.address or "",
        username=user.username, must_change_password="1" if user.must_change_password else "",
        language=user.language,
    )  # fmt: skip


def _form(
    site: Site,
    visitor: Visitor,
    fields: UserFields,
    *,
    problems: Problems | None = None,
    verdict: Message | None = None,
    registry: Message | None = None,
    status: int = 200,
) -> Response:
    return site.pages.render(
        visitor.page, "users/new.html", status=status, fields=fields, problems=problems or {},
        verdict=verdict, registry=registry, messages=_summary(problems), user=None,
        **_preview(fields),
    )  # fmt: skip


async def _user_page(
    site: Site,
    visitor: Visitor,
    user: TenantDetail,
    fields: UserFields,
    problems: Problems,
    messages: list[Message],
    status: int = 200,
) -> Response:
    async with transaction(site.runtime.engine) as conn:
        packages = await package_rows(conn, user.tenant_id)
    database = state_of(user, site.jobs.running(job_key(user.tenant_id)))
    return site.pages.render(
        visitor.page, "users/edit.html", status=status, user=user, fields=fields,
        problems=problems, verdict=None, messages=messages + _summary(problems),
        packages=packages, database=database, section_messages=[], **_preview(fields),
        call_log_days=site.runtime.settings.api_call_log_days,
        watch=WATCH_POLLS if visitor.page.query.get("done") in QUEUED else 0,
    )  # fmt: skip


def _preview(fields: UserFields) -> dict[str, Any]:
    shape = password_sms_shape(fields.locale, fields.password) if fields.password else None
    return {"shape": shape}


def _summary(problems: Problems | None) -> list[Message]:
    if not problems:
        return []
    return [Message(N_("Some fields need attention (marked below)."), level="error")]
