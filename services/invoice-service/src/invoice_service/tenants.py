"""Which database a tenant's invoices live in, asked of tenant-admin (the catalog's owner).

The answer is cached in ``kit.db.TenantEngines``: one look-up per tenant per process, not per
request (DESIGN.md §8: no database lookup on every request for the tenant).
"""

from __future__ import annotations

from typing import TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError

from contracts.http import TENANTS_PATH, placement_path
from contracts.tenants import TenantList, TenantPlacement
from kit.auth import ServiceTokens
from kit.db import TenantEngines
from kit.errors import ServiceUnavailable

PLACEMENT_TIMEOUT = aiohttp.ClientTimeout(total=5)
Answer = TypeVar("Answer", bound=BaseModel)


class TenantUnavailable(ServiceUnavailable):
    code = "tenant_unavailable"
    title = "Tenant database unavailable"


class TenantDirectory:
    def __init__(self, http: aiohttp.ClientSession, base_url: str, tokens: ServiceTokens) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._tokens = tokens

    async def dsn(self, tenant_id: str) -> str:
        placement = await self._get(placement_path(tenant_id), TenantPlacement)
        if placement.status != "active":
            raise TenantUnavailable(f"the database of tenant {tenant_id} is not active")
        return placement.dsn

    async def active_tenants(self) -> list[str]:
        listing = await self._get(f"{TENANTS_PATH}?status=active", TenantList)
        return [item.tenant_id for item in listing.items]

    async def _get(self, path: str, model: type[Answer]) -> Answer:
        headers = {"Authorization": self._tokens.header()}
        try:
            async with self._http.get(
                self._base_url + path, headers=headers, timeout=PLACEMENT_TIMEOUT
            ) as response:
                if response.status != 200:
                    raise TenantUnavailable(f"tenant-admin answered {response.status} for {path}")
                return model.model_validate_json(await response.read())
        except (aiohttp.ClientError, TimeoutError, ValidationError) as exc:
            raise TenantUnavailable(f"tenant-admin unreachable: {exc}") from None


def tenant_engines(directory: TenantDirectory, max_engines: int, pool_size: int) -> TenantEngines:
    return TenantEngines(directory.dsn, max_engines=max_engines, pool_size=pool_size)
