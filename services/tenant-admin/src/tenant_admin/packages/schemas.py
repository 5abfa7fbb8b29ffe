"""Bodies of the packages endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tenant_admin.tenants.schemas import PackageInfo


class NewPackage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    calls: int = Field(gt=0, le=100_000_000)
    days: int = Field(default=365, gt=0, le=3650)
    starts_at: datetime | None = None


class PackageList(BaseModel):
    tenant_id: str
    items: list[PackageInfo]


__all__ = ["NewPackage", "PackageInfo", "PackageList"]
