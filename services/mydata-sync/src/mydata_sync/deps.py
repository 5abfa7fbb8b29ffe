"""FastAPI dependencies: the internal caller's token and the running service's parts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from contracts.http import TENANT_HEADER
from kit.auth import bearer_token
from kit.errors import ServiceUnavailable, Unauthorized
from mydata_sync.receivers.service import ReceiverDirectory
from mydata_sync.registry.service import VatRegistry
from mydata_sync.runtime import SyncRuntime
from mydata_sync.transmissions.service import TransmissionService


# ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, a thread
# hand-off per dependency and request on the transmit RPC's hot path (docs/performance.md).
async def get_runtime(request: Request) -> SyncRuntime:
    runtime: SyncRuntime = request.app.state.runtime
    return runtime


async def get_service(runtime: Annotated[SyncRuntime, Depends(get_runtime)]) -> TransmissionService:
    # Until the schema is migrated nothing can be recorded, so nothing may be accepted.
    if not runtime.schema_ready.is_set():
        raise ServiceUnavailable("the sync database is not ready yet")
    return runtime.service


async def require_internal(
    runtime: Annotated[SyncRuntime, Depends(get_runtime)],
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Claims of a valid internal token addressed to mydata-sync (audience
    ``einvoicing-internal:mydata-sync``), else 401."""
    return runtime.internal_tokens.verify(bearer_token(authorization))


InternalCaller = Annotated[dict[str, Any], Depends(require_internal)]
Transmitter = Annotated[TransmissionService, Depends(get_service)]


async def get_receivers(runtime: Annotated[SyncRuntime, Depends(get_runtime)]) -> ReceiverDirectory:
    return runtime.receivers


Receivers = Annotated[ReceiverDirectory, Depends(get_receivers)]


async def get_registry(runtime: Annotated[SyncRuntime, Depends(get_runtime)]) -> VatRegistry:
    if not runtime.schema_ready.is_set():
        raise ServiceUnavailable("the sync database is not ready yet")
    return runtime.registry


async def named_tenant(
    claims: InternalCaller, x_tenant_id: Annotated[str | None, Header(alias=TENANT_HEADER)] = None
) -> str | None:
    """The tenant X-Tenant-Id names, which the internal token must be bound to; None when the
    call names no tenant."""
    named = (x_tenant_id or "").strip()
    if not named:
        return None
    if str(claims.get("tid") or "") != named:
        raise Unauthorized("the internal token is not bound to the X-Tenant-Id tenant")
    return named


async def registry_caller(
    claims: InternalCaller, tenant: Annotated[str | None, Depends(named_tenant)]
) -> str | None:
    """The tenant whose stored codes a look-up uses; None (the provider's own codes) only for
    tenant-admin."""
    if tenant is None and claims.get("sub") != PROVIDER_CODES_CALLER:
        raise Unauthorized("a registry look-up names its tenant (X-Tenant-Id)")
    return tenant


async def registry_tenant(tenant: Annotated[str | None, Depends(registry_caller)]) -> str:
    if tenant is None:
        raise Unauthorized("stored codes belong to a tenant: X-Tenant-Id is required")
    return tenant


PROVIDER_CODES_CALLER = "tenant-admin"
RuntimeDep = Annotated[SyncRuntime, Depends(get_runtime)]
NamedTenant = Annotated[str | None, Depends(named_tenant)]
Registry = Annotated[VatRegistry, Depends(get_registry)]
RegistryCaller = Annotated[str | None, Depends(registry_caller)]
RegistryTenant = Annotated[str, Depends(registry_tenant)]
