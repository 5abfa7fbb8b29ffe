"""GET /internal/tenants/{id}/placement: where a tenant's database lives (invoice-service)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from tenant_admin.deps import CatalogConn, require_internal
from tenant_admin.tenants.endpoints import TenantId
from tenant_admin.tenants.repository import placements_with_status
from tenant_admin.tenants.schemas import Placement, Status, TenantList, TenantRef
from tenant_admin.tenants.service import placement

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_internal)])


@router.get("/tenants", summary="Tenants whose database has the given status (default active)")
async def tenants_by_status(conn: CatalogConn, status: Status = "active") -> TenantList:
    rows = await placements_with_status(conn, [status])
    return TenantList(items=[TenantRef(tenant_id=r.customer_id, database=r.database) for r in rows])


@router.get("/tenants/{tenant_id}/placement", summary="Server and DSN of a tenant's database")
async def tenant_placement(tenant_id: TenantId, conn: CatalogConn) -> Placement:
    return await placement(conn, tenant_id)
