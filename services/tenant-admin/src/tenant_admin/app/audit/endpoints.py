"""``/admin-app/audit``: the trail, filtered by operator, action, user and dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from kit.db import transaction
from tenant_admin.app.audit import service
from tenant_admin.app.audit.service import ACTIONS, AuditQuery
from tenant_admin.app.deps import Operator, Site

router = APIRouter(prefix="/audit", include_in_schema=False)
Filter = Annotated[str, Query(max_length=200)]


@router.get("")
async def trail(
    visitor: Operator, site: Site, operator: Filter = "", action: Filter = "",
    username: Filter = "", since: Filter = "", until: Filter = "", after: Filter = "",
) -> Response:  # fmt: skip
    query = AuditQuery(operator, action, username, since, until)
    async with transaction(site.runtime.engine) as conn:
        shown, next_cursor = await service.page(conn, query, after)
    template = "audit/_rows.html" if visitor.htmx and after else "audit/list.html"
    return site.pages.render(
        visitor.page, template, query=query, actions=shown, next_cursor=next_cursor,
        action_names=ACTIONS,
    )  # fmt: skip
