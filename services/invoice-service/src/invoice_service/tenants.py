"""Which database a tenant's invoices live in, asked of tenant-admin (the catalog's owner).

The answer is cached in ``kit.db.TenantEngines``: one look-up per tenant per process, not per
request (DESIGN.md §8: no database lookup on every request for the tenant).
"""

from __future__ import annotations

import aiohttp

from kit.auth import ServiceToken
from kit.db import TenantEngines
from kit.errors import ServiceUnavailable

PLACEMENT_TIMEOUT = aiohttp.ClientTimeout(total=5)


class TenantUnavailable(ServiceUnavailable):
    code = "tenant_unavailable"
    title = "Tenant database unavailable"


class TenantDirectory:
    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: ServiceToken) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._token = token

    async def dsn(self, tenant_id: str) -> str:
        body = await self._get(f"/internal/tenants/{tenant_id}/placement")
        if not isinstance(body, dict) or body.get("status") != "active":
            raise TenantUnavailable(f"the database of tenant {tenant_id} is not active")
        return str(body["dsn"])

    async def active_tenants(self) -> list[str]:
        body = await self._get("/internal/tenants?status=active")
        items = body.get("items", []) if isinstance(body, dict) else []
        return [str(item["tenant_id"]) for item in items]

    async def _get(self, path: str) -> object:
        headers = {"Authorization": self._token.header()}
        try:
            async with self._http.get(
                self._base_url + path, headers=headers, timeout=PLACEMENT_TIMEOUT
            ) as response:
                if response.status != 200:
                    raise TenantUnavailable(f"tenant-admin answered {response.status} for {path}")
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TenantUnavailable(f"tenant-admin unreachable: {exc}") from None


def tenant_engines(directory: TenantDirectory, max_engines: int, pool_size: int) -> TenantEngines:
    return TenantEngines(directory.dsn, max_engines=max_engines, pool_size=pool_size)
