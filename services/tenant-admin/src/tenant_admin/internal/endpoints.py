"""The internal API other services call (``contracts.http``, ``contracts.tenants``): which
tenants are active, and where a tenant's database lives (invoice-service)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from contracts.http import TENANTS_PATH
from contracts.tenants import TenantList, TenantPlacement
from tenant_admin.deps import CatalogConn, require_internal
from tenant_admin.tenants.endpoints import TenantId
from tenant_admin.tenants.schemas import Status
from tenant_admin.tenants.service import placement, tenants_with_status

router = APIRouter(tags=["internal"], dependencies=[Depends(require_internal)])


@router.get(TENANTS_PATH, summary="Tenants whose database has the given status (default active)")
async def tenants_by_status(conn: CatalogConn, status: Status = "active") -> TenantList:
    return await tenants_with_status(conn, status)


@router.get(TENANTS_PATH + "/{tenant_id}/placement", summary="Where a tenant's database lives")
async def tenant_placement(tenant_id: TenantId, conn: CatalogConn) -> TenantPlacement:
    return await placement(conn, tenant_id)
