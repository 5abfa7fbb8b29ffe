"""``/email-lookup?vat=`` (PORTAL-7). A GET form: it changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from portal_web.deps import Customer, RuntimeDep
from portal_web.receivers.service import look_up

router = APIRouter(tags=["receivers"], include_in_schema=False)


@router.get("/email-lookup")
async def email_lookup(
    visitor: Customer, runtime: RuntimeDep, vat: Annotated[str, Query(max_length=30)] = ""
) -> Response:
    result = await look_up(runtime.receivers, vat) if vat.strip() else None
    status = 400 if result and result.problem and result.problem.level == "error" else 200
    return runtime.pages.render(
        visitor.page, "email_lookup.html", status=status, vat=vat, result=result
    )
