"""``Annotated`` dependency aliases: the runtime, a catalog transaction, and the callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.http import TENANT_HEADER
from kit.db import transaction
from kit.errors import Forbidden, Unauthorized
from tenant_admin.runtime import AdminRuntime

_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_runtime(request: Request) -> AdminRuntime:
    runtime: AdminRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[AdminRuntime, Depends(get_runtime)]


async def catalog_transaction(runtime: RuntimeDep) -> AsyncIterator[AsyncConnection]:
    """The request owns the transaction; it commits before the response is sent
    (``scope="function"``), so a 2xx always means a committed change."""
    async with transaction(runtime.engine) as conn:
        yield conn


CatalogConn = Annotated[AsyncConnection, Depends(catalog_transaction, scope="function")]


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("missing bearer token")
    return credentials.credentials


def require_operator(runtime: RuntimeDep, credentials: Credentials) -> dict[str, Any]:
    return runtime.operator_codec.verify(_token(credentials))


def require_internal(runtime: RuntimeDep, credentials: Credentials) -> dict[str, Any]:
    return runtime.internal_codec.verify(_token(credentials))


def require_service_wide(claims: Annotated[dict[str, Any], Depends(require_internal)]) -> None:
    """An internal call about every customer: a token bound to one tenant opens no others."""
    if claims.get("tid") is not None:
        raise Forbidden("a token bound to one tenant reads no other tenant's data")


OperatorClaims = Annotated[dict[str, Any], Depends(require_operator)]
InternalClaims = Annotated[dict[str, Any], Depends(require_internal)]


@dataclass(frozen=True, slots=True)
class TenantBound:
    """An internal call about one customer: the token is bound to the tenant X-Tenant-Id names."""

    tenant_id: str
    caller: str  # the calling service (the token's subject)


def tenant_call(
    claims: InternalClaims, x_tenant_id: Annotated[str | None, Header(alias=TENANT_HEADER)] = None
) -> TenantBound:
    named = (x_tenant_id or "").strip()
    if not named or str(claims.get("tid") or "") != named:
        raise Unauthorized("the internal token is not bound to the X-Tenant-Id tenant")
    return TenantBound(named, str(claims.get("sub") or ""))


TenantCall = Annotated[TenantBound, Depends(tenant_call)]
