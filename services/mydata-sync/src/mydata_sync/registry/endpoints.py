"""``/internal/vat-registry/{vat}`` and ``/internal/vat-registry-codes`` (contracts.registry).

A customer's look-up must come with an internal token bound to the tenant it names (the
gateway's and portal-web's); only tenant-admin may look up with the provider's own codes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from contracts.registry import (
    REGISTRY_CODES_PATH,
    REGISTRY_PATH,
    RegistryAnswer,
    RegistryCodesLookup,
    RegistryCodesStatus,
)
from mydata_sync.deps import Registry, RegistryCaller, RegistryTenant

router = APIRouter(tags=["VAT registry"])
Vat = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z]+$")]


@router.get(REGISTRY_PATH + "/{vat}", summary="A taxpayer's registry entry")
async def look_up(vat: Vat, tenant: RegistryCaller, registry: Registry) -> RegistryAnswer:
    return await registry.look_up(vat, tenant)


@router.get(REGISTRY_CODES_PATH, summary="Whether the customer's codes are stored")
async def codes_status(tenant: RegistryTenant, registry: Registry) -> RegistryCodesStatus:
    return await registry.status(tenant)


@router.post(REGISTRY_CODES_PATH, summary="Look up with new codes; store them when they work")
async def try_codes(
    body: RegistryCodesLookup, tenant: RegistryTenant, registry: Registry
) -> RegistryAnswer:
    return await registry.try_codes(tenant, body.vat, body.codes)


@router.delete(REGISTRY_CODES_PATH, status_code=204, summary="Forget the customer's codes")
async def forget_codes(tenant: RegistryTenant, registry: Registry) -> Response:
    await registry.forget(tenant)
    return Response(status_code=204)
