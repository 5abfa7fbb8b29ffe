"""FastAPI dependencies: the customer a call is for, and the running service's parts.

Only portal-web calls, for one customer: its internal token must be bound to the tenant that
``X-Tenant-Id`` names (claim ``tid``), as invoice-service's portal API requires; a token without
``tid`` opens no customer's endpoints.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from contracts.http import TENANT_HEADER
from kit.auth import bearer_token
from kit.errors import ServiceUnavailable, Unauthorized
from webhooks.deliveries.service import DeliveryService
from webhooks.endpoints.service import EndpointService
from webhooks.runtime import WebhooksRuntime


async def get_runtime(request: Request) -> WebhooksRuntime:
    runtime: WebhooksRuntime = request.app.state.runtime
    # Until the schema is migrated nothing can be read or recorded.
    if not runtime.schema_ready.is_set():
        raise ServiceUnavailable("the webhooks database is not ready yet")
    return runtime


async def tenant_call(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_tenant_id: Annotated[str | None, Header(alias=TENANT_HEADER)] = None,
) -> str:
    """The tenant the verified internal token is bound to; 401 otherwise."""
    runtime: WebhooksRuntime = request.app.state.runtime
    claims = runtime.internal_tokens.verify(bearer_token(authorization))
    tenant_id = (x_tenant_id or "").strip()
    if not tenant_id:
        raise Unauthorized("missing X-Tenant-Id header")
    if str(claims.get("tid") or "") != tenant_id:
        raise Unauthorized("the internal token is not bound to the X-Tenant-Id tenant")
    return tenant_id


async def get_endpoints(
    runtime: Annotated[WebhooksRuntime, Depends(get_runtime)],
) -> EndpointService:
    return runtime.endpoints


async def get_deliveries(
    runtime: Annotated[WebhooksRuntime, Depends(get_runtime)],
) -> DeliveryService:
    return runtime.deliveries


Runtime = Annotated[WebhooksRuntime, Depends(get_runtime)]
Tenant = Annotated[str, Depends(tenant_call)]
Endpoints = Annotated[EndpointService, Depends(get_endpoints)]
Deliveries = Annotated[DeliveryService, Depends(get_deliveries)]
