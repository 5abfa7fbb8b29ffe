"""``/connection-loss-notices``: the form, the receipts it gives, and the recent notices with
whether each invoice has arrived. Customers only (a notice is the customer's own statement)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from portal_web.deps import Customer, CustomerPost, RuntimeDep
from portal_web.notices import service
from portal_web.notices.service import NoticesView

router = APIRouter(tags=["notices"], include_in_schema=False)
Lines = Annotated[str, Form(max_length=50_000)]


@router.get("/connection-loss-notices")
async def notices_page(visitor: Customer, runtime: RuntimeDep) -> Response:
    return await _render(visitor, runtime, NoticesView())


@router.post("/connection-loss-notices")
async def send_notices(visitor: CustomerPost, runtime: RuntimeDep, lines: Lines = "") -> Response:
    view = await service.send(runtime.notices, visitor.user.customer_id, lines)
    return await _render(visitor, runtime, view, status=400 if view.problems else 200)


async def _render(
    visitor: Customer, runtime: RuntimeDep, view: NoticesView, status: int = 200
) -> Response:
    recent = await runtime.notices.recent(visitor.user.customer_id)
    return runtime.pages.render(
        visitor.page, "notices.html", status=status, view=view, recent=recent
    )
