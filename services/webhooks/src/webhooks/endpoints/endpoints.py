"""The internal API of a customer's endpoints (portal-web, token bound to the tenant):
``contracts.webhooks.ENDPOINTS_PATH``."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from contracts.webhooks import (
    ENDPOINTS_PATH,
    EndpointChange,
    EndpointView,
    NewEndpoint,
    SecretIssued,
)
from kit.db import transaction
from kit.http import RowId
from webhooks.deps import Endpoints, Runtime, Tenant

router = APIRouter(prefix=ENDPOINTS_PATH, tags=["endpoints"])
# A BIGINT column: a larger number is a 400, not a failed statement.
EndpointId = RowId


@router.get("", response_model=list[EndpointView])
async def list_endpoints(
    tenant: Tenant, runtime: Runtime, service: Endpoints
) -> list[EndpointView]:
    async with transaction(runtime.engine) as conn:
        return await service.list_for(conn, tenant)


@router.post("", response_model=SecretIssued, status_code=201)
async def register_endpoint(
    new: NewEndpoint, tenant: Tenant, runtime: Runtime, service: Endpoints
) -> SecretIssued:
    """A new endpoint and its first secret (the only time the secret is answered); 422 with
    ``data.problems`` when the URL or the choice of events is refused."""
    async with transaction(runtime.engine) as conn:
        return await service.register(conn, tenant, new)


@router.get("/{endpoint_id}", response_model=EndpointView)
async def get_endpoint(
    endpoint_id: EndpointId, tenant: Tenant, runtime: Runtime, service: Endpoints
) -> EndpointView:
    async with transaction(runtime.engine) as conn:
        return await service.view(conn, tenant, endpoint_id)


@router.patch("/{endpoint_id}", response_model=EndpointView)
async def change_endpoint(
    endpoint_id: EndpointId, change: EndpointChange, tenant: Tenant, runtime: Runtime,
    service: Endpoints,
) -> EndpointView:  # fmt: skip
    """Enable or disable it (disabled: nothing new is recorded for it and what waits is held
    until it is enabled), or change its events."""
    async with transaction(runtime.engine) as conn:
        return await service.change(conn, tenant, endpoint_id, change)


@router.delete("/{endpoint_id}", status_code=204)
async def delete_endpoint(
    endpoint_id: EndpointId, tenant: Tenant, runtime: Runtime, service: Endpoints
) -> Response:
    async with transaction(runtime.engine) as conn:
        await service.delete(conn, tenant, endpoint_id)
    return Response(status_code=204)


@router.post("/{endpoint_id}/secrets", response_model=SecretIssued)
async def rotate_secret(
    endpoint_id: EndpointId, tenant: Tenant, runtime: Runtime, service: Endpoints
) -> SecretIssued:
    """A new secret (answered once); the previous one stays valid for the rotation overlap."""
    async with transaction(runtime.engine) as conn:
        return await service.rotate(conn, tenant, endpoint_id)


@router.post("/{endpoint_id}/secrets/finish", response_model=EndpointView)
async def finish_rotation(
    endpoint_id: EndpointId, tenant: Tenant, runtime: Runtime, service: Endpoints
) -> EndpointView:
    """Only the newest secret stays valid."""
    async with transaction(runtime.engine) as conn:
        return await service.finish_rotation(conn, tenant, endpoint_id)
