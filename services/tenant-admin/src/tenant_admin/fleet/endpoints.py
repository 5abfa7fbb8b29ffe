"""POST /admin/migrate-tenants."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from tenant_admin.deps import RuntimeDep, require_operator
from tenant_admin.fleet.service import migrate_tenants

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_operator)])


class FleetSummary(BaseModel):
    ok: bool
    total: int
    upgraded: int
    failures: dict[str, str]
    seconds: float


@router.post("/migrate-tenants", summary="Upgrade every active tenant database")
async def migrate(runtime: RuntimeDep) -> FleetSummary:
    report = await migrate_tenants(runtime.engine, concurrency=runtime.settings.migrate_concurrency)
    return FleetSummary(
        ok=report.ok,
        total=report.total,
        upgraded=report.upgraded,
        failures=report.failures,
        seconds=report.seconds,
    )
