"""``/packages`` (PORTAL-8): start, end, call limit and calls made per package."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from portal_web.deps import Customer, RuntimeDep
from portal_web.packages.service import packages_of

router = APIRouter(tags=["packages"], include_in_schema=False)


@router.get("/packages")
async def packages(visitor: Customer, runtime: RuntimeDep) -> Response:
    found = await packages_of(runtime.tenant_admin, visitor.live.session_id)
    return runtime.pages.render(visitor.page, "packages.html", packages=found)
