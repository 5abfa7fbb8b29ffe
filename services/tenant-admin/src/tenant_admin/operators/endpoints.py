"""POST /admin/login."""

from __future__ import annotations

from fastapi import APIRouter, Request

from tenant_admin.deps import CatalogConn, RuntimeDep
from tenant_admin.operators import service
from tenant_admin.operators.schemas import LoginRequest, LoginResponse

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/login", summary="Operator login: username and password for an operator token")
async def login(
    body: LoginRequest, request: Request, runtime: RuntimeDep, conn: CatalogConn
) -> LoginResponse:
    client = request.client.host if request.client else "unknown"
    settings = runtime.settings
    return await service.login(
        conn,
        runtime.operator_throttle,
        runtime.operator_codec,
        settings.operator_token_ttl_seconds,
        (body.username, body.password, client),
    )
