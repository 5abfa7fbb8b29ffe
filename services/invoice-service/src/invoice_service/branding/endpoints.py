"""The customer's business details (``contracts.portal.BRANDING_PATH``): read by the invoice
view, written from the portal's account page (tenant-bound internal token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from contracts.portal import BRANDING_PATH, LOGO_TAIL, Branding
from invoice_service.branding import service
from invoice_service.branding.service import MAX_LOGO_BYTES
from invoice_service.deps import TenantEngine
from kit.db import transaction
from kit.http import read_capped_body

router = APIRouter(tags=["portal (internal)"])


@router.get(BRANDING_PATH, summary="Business details for the invoice view (PORTAL-10)")
async def get_branding(engine: TenantEngine) -> Branding:
    async with engine.connect() as conn:
        return await service.get(conn)


@router.put(BRANDING_PATH, summary="Save the business details")
async def put_branding(body: Branding, engine: TenantEngine) -> Branding:
    async with transaction(engine) as conn:
        return await service.save(conn, body)


@router.get(BRANDING_PATH + LOGO_TAIL, summary="The logo", response_class=Response)
async def get_logo(engine: TenantEngine) -> Response:
    async with engine.connect() as conn:
        content, media_type = await service.logo(conn)
    return Response(content, media_type=media_type)


@router.put(BRANDING_PATH + LOGO_TAIL, summary="Replace the logo (PNG or JPEG, ≤ 2 MB, by content)")
async def put_logo(request: Request, engine: TenantEngine) -> Branding:
    content = await read_capped_body(request, MAX_LOGO_BYTES + 1)
    async with transaction(engine) as conn:
        return await service.save_logo(conn, content)
