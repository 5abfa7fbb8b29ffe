"""Where each tenant's database lives: tenant-admin's internal answers (``contracts.http``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

DatabaseStatus = Literal["provisioning", "active", "failed"]


class TenantPlacement(BaseModel):
    """``GET /internal/tenants/{id}/placement``."""

    tenant_id: str
    database: str
    server_id: int
    dsn: str
    status: DatabaseStatus


class TenantRef(BaseModel):
    tenant_id: str
    database: str


class TenantList(BaseModel):
    """``GET /internal/tenants?status=…``."""

    items: list[TenantRef]
