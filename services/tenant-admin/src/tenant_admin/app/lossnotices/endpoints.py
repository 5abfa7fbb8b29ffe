"""The unmatched connection-loss notices: a customer told us of an invoice it issued while cut
off, and after ``EINV_NOTICE_MATCH_WITHIN_H`` hours the invoice still has not arrived, which
an operator follows up with the customer (the law expects it to be sent once connected)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from kit.db import transaction
from tenant_admin.app.deps import Operator, Site
from tenant_admin.notices import service

router = APIRouter(prefix="/connection-loss-notices", include_in_schema=False)
SHOWN = 500


@router.get("")
async def unmatched(
    visitor: Operator, site: Site, hours: Annotated[float | None, Query(ge=0, le=8760)] = None
) -> Response:
    after_h = site.runtime.settings.notice_match_within_h if hours is None else hours
    async with transaction(site.runtime.engine) as conn:
        notices = await service.unmatched(conn, after_h, SHOWN)
    return site.pages.render(
        visitor.page, "lossnotices/list.html", notices=notices, hours=after_h, shown=SHOWN
    )
