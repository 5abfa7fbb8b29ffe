"""``/auditor``: the customers an auditor sees, and the choice of one; then ``/invoices`` shows
that customer's invoices read-only (every view recorded, see ``invoices.service.audit``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from kit.errors import Forbidden
from portal_web.auditors.service import act_for
from portal_web.deps import Auditor, AuditorPost, RuntimeDep

router = APIRouter(tags=["auditors"], include_in_schema=False)


@router.get("/auditor")
async def customers(visitor: Auditor, runtime: RuntimeDep) -> Response:
    return runtime.pages.render(visitor.page, "auditors/customers.html")


@router.post("/auditor/acting-for")
async def choose_customer(
    visitor: AuditorPost,
    runtime: RuntimeDep,
    customer_id: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    if customer_id not in {seen.customer_id for seen in visitor.user.sees}:
        raise Forbidden("not a customer this auditor was granted")
    # tenant-admin checks the grant again: the list above is only what the session said.
    await act_for(runtime.tenant_admin, visitor.live.session_id, customer_id, visitor.client_ip)
    return RedirectResponse("/invoices", status_code=303)
