"""``/admin-app/users/{id}/database…``: the database section (polled while it is created),
«Δημιουργία», «Επαναδημιουργία»."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from tenant_admin.app.databases import service
from tenant_admin.app.deps import PREFIX, Operator, OperatorPost, Site, UserId, Visitor, load_user
from tenant_admin.app.notices import notices
from tenant_admin.tenants.schemas import TenantDetail
from webkit.i18n import Message

router = APIRouter(prefix="/users", include_in_schema=False)


@router.get("/{customer_id}/database")
async def database(visitor: Operator, site: Site, customer_id: UserId) -> Response:
    return await _section(site, visitor, await load_user(site, customer_id), [])


@router.post("/{customer_id}/database/create")
async def create(visitor: OperatorPost, site: Site, customer_id: UserId) -> Response:
    user = await load_user(site, customer_id)
    refused = await service.create_database(site, visitor.actor, user)
    return await _after(site, visitor, user, refused, "database")


@router.post("/{customer_id}/database/recreate")
async def recreate(
    visitor: OperatorPost, site: Site, customer_id: UserId,
    confirm: Annotated[str, Form(max_length=100)] = "",
) -> Response:  # fmt: skip
    user = await load_user(site, customer_id)
    refused = await service.recreate_database(site, visitor.actor, user, confirm)
    return await _after(site, visitor, user, refused, "recreate")


async def _after(
    site: Site, visitor: Visitor, user: TenantDetail, refused: str | None, done: str
) -> Response:
    """htmx: the section again, polling while busy (with a refusal's reason: htmx swaps only
    2xx answers); a plain form: back to the user's page."""
    if visitor.htmx:
        return await _section(site, visitor, user, notices({"refused": refused or ""}))
    outcome = f"refused={refused}" if refused else f"done={done}"
    return RedirectResponse(f"{PREFIX}/users/{user.tenant_id}?{outcome}#database", 303)


async def _section(
    site: Site, visitor: Visitor, user: TenantDetail, messages: list[Message]
) -> Response:
    fresh = await load_user(site, user.tenant_id)
    state = service.state_of(fresh, site.jobs.running(service.job_key(user.tenant_id)))
    return site.pages.render(
        visitor.page, "users/_database.html", user=fresh, database=state,
        section_messages=messages,
    )  # fmt: skip
