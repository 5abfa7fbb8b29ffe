"""``/admin-app/users/{id}/call-log`` (the switch) and ``…/calls`` (the log, one call)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from kit.db import transaction
from kit.errors import NotFound
from kit.http import RowId
from tenant_admin.app.calls import service
from tenant_admin.app.calls.service import CallQuery
from tenant_admin.app.deps import PREFIX, Operator, OperatorPost, Site, UserId, load_user

router = APIRouter(prefix="/users", include_in_schema=False)
Filter = Annotated[str, Query(max_length=200)]
CallId = RowId


@router.post("/{customer_id}/call-log")
async def switch(
    visitor: OperatorPost, site: Site, customer_id: UserId,
    on: Annotated[str, Form(max_length=5)] = "",
) -> Response:  # fmt: skip
    user = await load_user(site, customer_id)
    async with transaction(site.runtime.engine) as conn:
        await service.switch(conn, visitor.actor, user, on == "1")
    done = "call_log_on" if on == "1" else "call_log_off"
    return RedirectResponse(f"{PREFIX}/users/{customer_id}?done={done}#calls", status_code=303)


@router.get("/{customer_id}/calls")
async def calls(
    visitor: Operator, site: Site, customer_id: UserId, since: Filter = "", until: Filter = "",
    status: Filter = "", path: Filter = "", after: Filter = "",
) -> Response:  # fmt: skip
    user = await load_user(site, customer_id)
    query = CallQuery(since, until, status, path)
    async with transaction(site.runtime.engine) as conn:
        shown, next_cursor = await service.page(conn, user, query, after)
    template = "users/_call_rows.html" if visitor.htmx and after else "users/calls.html"
    return site.pages.render(
        visitor.page, template, user=user, query=query, calls=shown, next_cursor=next_cursor,
        call_log_days=site.runtime.settings.api_call_log_days,
    )  # fmt: skip


@router.get("/{customer_id}/calls/{call_id}")
async def call(visitor: Operator, site: Site, customer_id: UserId, call_id: CallId) -> Response:
    user = await load_user(site, customer_id)
    async with transaction(site.runtime.engine) as conn:
        found = await service.one(conn, visitor.actor, user, call_id)
    if found is None:
        raise NotFound("no such call")
    return site.pages.render(visitor.page, "users/call.html", user=user, call=found)
