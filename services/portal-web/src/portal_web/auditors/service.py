"""An auditor picks one of the customers they were granted (``PortalUser.sees``); tenant-admin
checks the grant again and refuses any other (403)."""

from __future__ import annotations

from contracts.portal import ActingFor, PortalSession
from portal_web.clients.tenant_admin import TenantAdminClient


async def act_for(
    tenant_admin: TenantAdminClient, session_id: str, customer_id: str, client_ip: str
) -> PortalSession:
    choice = ActingFor(customer_id=customer_id, client_ip=client_ip)
    return await tenant_admin.act_for(session_id, choice)
