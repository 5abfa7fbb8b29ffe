"""``/admin-app/users/{id}/packages…``: sell, move the end, change the limit (each back to the
user's page with what happened)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from kit.db import transaction
from kit.http import RowId
from tenant_admin.app.deps import PREFIX, OperatorPost, Site, UserId, load_user
from tenant_admin.app.packages import service
from tenant_admin.errors import PackageRefused

router = APIRouter(prefix="/users", include_in_schema=False)
Text = Annotated[str, Form(max_length=30)]
PackageId = RowId


def _back(customer_id: str, outcome: str) -> Response:
    return RedirectResponse(f"{PREFIX}/users/{customer_id}?{outcome}#packages", status_code=303)


@router.post("/{customer_id}/packages")
async def sell(
    visitor: OperatorPost, site: Site, customer_id: UserId, calls: Text = "", start: Text = "",
    end: Text = "",
) -> Response:  # fmt: skip
    user = await load_user(site, customer_id)
    try:
        async with transaction(site.runtime.engine) as conn:
            await service.sell(conn, visitor.actor, user, calls, start, end)
    except PackageRefused as refused:
        return _back(customer_id, f"refused={refused.reason}")
    return _back(customer_id, "done=package_sold")


@router.post("/{customer_id}/packages/{package_id}/end")
async def move_end(
    visitor: OperatorPost, site: Site, customer_id: UserId, package_id: PackageId, end: Text = ""
) -> Response:
    user = await load_user(site, customer_id)
    try:
        async with transaction(site.runtime.engine) as conn:
            await service.move_end(conn, visitor.actor, user, package_id, end)
    except PackageRefused as refused:
        return _back(customer_id, f"refused={refused.reason}")
    return _back(customer_id, "done=package_extended")


@router.post("/{customer_id}/packages/{package_id}/limit")
async def set_limit(
    visitor: OperatorPost, site: Site, customer_id: UserId, package_id: PackageId,
    calls: Text = "",
) -> Response:  # fmt: skip
    user = await load_user(site, customer_id)
    try:
        async with transaction(site.runtime.engine) as conn:
            await service.set_limit(conn, visitor.actor, user, package_id, calls)
    except PackageRefused as refused:
        return _back(customer_id, f"refused={refused.reason}")
    return _back(customer_id, "done=package_limit")
