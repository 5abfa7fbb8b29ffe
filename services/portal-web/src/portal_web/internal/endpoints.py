"""``contracts.portal.INVOICE_PDF_PATH``: other services' calls, with an internal token bound to
the tenant whose invoice they ask for (``tid`` = ``X-Tenant-Id``), never a visitor's session.
Refusals keep their statuses (401, 404; 503 while a service behind the portal is away)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from starlette.responses import Response

from contracts.http import TENANT_HEADER
from contracts.portal import INVOICE_PDF_PATH
from kit.auth import bearer_token
from kit.errors import NotFound, Unauthorized
from portal_web.deps import RuntimeDep
from portal_web.internal import service
from webkit.i18n import Locale

# In the schema (not served: openapi_url is None) so that tests/security fuzzes it.
router = APIRouter(tags=["internal"])
Uid = Annotated[str, Path(pattern=r"^[0-9A-Fa-f]{1,64}$")]  # myDATA's uid: hex


def bound_tenant(runtime: RuntimeDep, authorization: str | None, tenant_header: str | None) -> str:
    """The tenant an internal token is bound to, when it is the one ``X-Tenant-Id`` names: a
    token without ``tid`` opens no customer's invoices."""
    # The portal signs its own calls with this codec; the same secret verifies the others'.
    claims = runtime.upstream.tokens.codec.verify(bearer_token(authorization))
    tenant_id = (tenant_header or "").strip()
    if not tenant_id or str(claims.get("tid") or "") != tenant_id:
        raise Unauthorized("the internal token is not bound to the X-Tenant-Id tenant")
    return tenant_id


@router.get(INVOICE_PDF_PATH + "/{uid}")
async def invoice_pdf(
    uid: Uid,
    request: Request,
    runtime: RuntimeDep,
    lang: Locale = "el",
    authorization: Annotated[str | None, Header()] = None,
    x_tenant_id: Annotated[str | None, Header(alias=TENANT_HEADER)] = None,
) -> Response:
    tenant_id = bound_tenant(runtime, authorization, x_tenant_id)
    page = runtime.pages.context(request, lang, None)
    found = await service.invoice_pdf(runtime, page, tenant_id, uid)
    if found is None:
        raise NotFound("no such invoice")
    return Response(found.model_dump_json(), media_type="application/json")
