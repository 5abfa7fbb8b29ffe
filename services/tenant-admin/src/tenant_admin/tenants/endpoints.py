"""/admin/tenants: create, search, read, recreate (operator token required)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from kit.db import transaction
from tenant_admin.deps import CatalogConn, RuntimeDep, require_operator
from tenant_admin.provisioning.service import recreate
from tenant_admin.tenants import service
from tenant_admin.tenants.onboarding import create_tenant
from tenant_admin.tenants.schemas import (
    CreateTenantRequest,
    TenantCreated,
    TenantDetail,
    TenantPage,
)

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_operator)])
# Past this a page is a probe, not a listing (and past 2**63 a database error).
MAX_OFFSET = 10_000_000
TenantId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The tenant (customer) id")]


class RecreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: str = Field(description="The tenant's username, typed again")


class RecreateResponse(BaseModel):
    tenant_id: str
    database: str
    status: str = "active"


@router.post("/tenants", status_code=201, summary="Create a tenant: user, database, package, token")
async def create(body: CreateTenantRequest, runtime: RuntimeDep) -> TenantCreated:
    # Spans several transactions (CREATE DATABASE cannot run inside one): see onboarding.
    return await create_tenant(runtime, body)


@router.get("/tenants", summary="Search tenants by VAT prefix or company name")
async def search(
    conn: CatalogConn,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> TenantPage:
    return await service.search_tenants(conn, q, limit, offset)


@router.get("/tenants/{tenant_id}", summary="One tenant with its database status")
async def read(tenant_id: TenantId, conn: CatalogConn) -> TenantDetail:
    return await service.get_tenant(conn, tenant_id)


@router.post("/tenants/{tenant_id}/recreate", summary="Drop and recreate the tenant's database")
async def recreate_database(
    tenant_id: TenantId, body: RecreateRequest, runtime: RuntimeDep
) -> RecreateResponse:
    async with transaction(runtime.engine) as conn:
        user = await service.require_customer(conn, tenant_id)
    database = await recreate(runtime.engine, tenant_id, user.username, body.confirm)
    return RecreateResponse(tenant_id=tenant_id, database=database)
