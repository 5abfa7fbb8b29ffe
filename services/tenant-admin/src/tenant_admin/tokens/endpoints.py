"""/admin/tenants/{id}/tokens: issue (revoking the previous ones) and revoke."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from tenant_admin.deps import CatalogConn, RuntimeDep, require_operator
from tenant_admin.tenants.endpoints import TenantId
from tenant_admin.tenants.service import require_customer
from tenant_admin.tokens import service
from tenant_admin.tokens.schemas import IssuedToken, TokenRequest

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_operator)])


class Revoked(BaseModel):
    tenant_id: str
    revoked: list[str]


@router.post("/tenants/{tenant_id}/tokens", status_code=201, summary="Issue a new API token")
async def issue(
    tenant_id: TenantId, body: TokenRequest, runtime: RuntimeDep, conn: CatalogConn
) -> IssuedToken:
    user = await require_customer(conn, tenant_id)
    ttl = runtime.settings.api_token_ttl_seconds
    return await service.issue_token(
        conn, runtime.api_codec, tenant_id, user.username, ttl,
        keep_previous=body.keep_previous, label=body.label,
    )  # fmt: skip


@router.delete("/tenants/{tenant_id}/tokens", summary="Revoke every active API token")
async def revoke(tenant_id: TenantId, conn: CatalogConn) -> Revoked:
    await require_customer(conn, tenant_id)
    return Revoked(tenant_id=tenant_id, revoked=await service.revoke_tokens(conn, tenant_id))
