"""Packages newest first, the active one marked (tenant-admin says which is active)."""

from __future__ import annotations

from contracts.portal import PortalPackage
from portal_web.clients.tenant_admin import TenantAdminClient


async def packages_of(tenant_admin: TenantAdminClient, session_id: str) -> list[PortalPackage]:
    packages = await tenant_admin.packages(session_id)
    return sorted(packages, key=lambda p: (p.starts_at, p.id), reverse=True)
