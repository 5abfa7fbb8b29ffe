"""``GET /internal/status`` (contracts.status): for the gateway's ``GET /status``."""

from __future__ import annotations

from fastapi import APIRouter

from contracts.status import STATUS_PATH, MydataStatus
from mydata_sync.deps import NamedTenant, RuntimeDep
from mydata_sync.status.service import mydata_status

router = APIRouter(tags=["status"])


@router.get(STATUS_PATH, summary="myDATA as this platform sees it, and the backlog")
async def status(runtime: RuntimeDep, tenant: NamedTenant) -> MydataStatus:
    return await mydata_status(runtime.engine, runtime.breaker, tenant)
