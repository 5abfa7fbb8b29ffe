"""``/internal/connection-loss-notices`` (contracts.notices): the gateway's and portal-web's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from contracts.notices import (
    NOTICES_PATH,
    UNMATCHED_NOTICES_PATH,
    Channel,
    NoticeReceipt,
    NoticeReceipts,
    UnmatchedNotice,
)
from kit.http import read_capped_body, require_json
from tenant_admin.deps import CatalogConn, TenantCall, require_service_wide
from tenant_admin.notices import service

router = APIRouter(tags=["connection-loss notices (internal)"])
MAX_BODY = 256 * 1024


@router.post(NOTICES_PATH, summary="Record notices; one receipt each")
async def record(request: Request, tenant: TenantCall, conn: CatalogConn) -> NoticeReceipts:
    require_json(request)
    raw = await read_capped_body(request, MAX_BODY)
    channel: Channel = "portal" if tenant.caller == "portal-web" else "api"
    return await service.record(conn, tenant.tenant_id, service.read_batch(raw, channel))


@router.get(NOTICES_PATH, summary="The customer's notices, newest first")
async def of_tenant(
    tenant: TenantCall, conn: CatalogConn, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[NoticeReceipt]:
    return await service.of_tenant(conn, tenant.tenant_id, limit)


@router.get(
    UNMATCHED_NOTICES_PATH,
    summary="Notices still without their invoice after a while",
    dependencies=[Depends(require_service_wide)],
)
async def unmatched(
    conn: CatalogConn,
    older_than_h: Annotated[float, Query(ge=0, le=24 * 365)] = 24,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[UnmatchedNotice]:
    return await service.unmatched(conn, older_than_h, limit)
