"""/admin/tenants/{id}/packages: sell a package, list packages with calls used."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from tenant_admin.deps import CatalogConn, OperatorClaims, require_operator
from tenant_admin.packages import service
from tenant_admin.packages.schemas import NewPackage, PackageInfo, PackageList
from tenant_admin.tenants.endpoints import TenantId
from tenant_admin.tenants.service import require_customer

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_operator)])


@router.post("/tenants/{tenant_id}/packages", status_code=201, summary="Add a package of calls")
async def add(
    tenant_id: TenantId, body: NewPackage, conn: CatalogConn, operator: OperatorClaims
) -> PackageInfo:
    await require_customer(conn, tenant_id)
    return await service.add_package(
        conn, tenant_id, body.calls, body.days, body.starts_at, by=str(operator["sub"])
    )


@router.get("/tenants/{tenant_id}/packages", summary="The tenant's packages with calls used")
async def list_all(tenant_id: TenantId, conn: CatalogConn) -> PackageList:
    await require_customer(conn, tenant_id)
    return PackageList(tenant_id=tenant_id, items=await service.list_packages(conn, tenant_id))
