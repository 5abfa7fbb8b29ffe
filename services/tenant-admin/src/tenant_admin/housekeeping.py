"""tenant-admin's periodic clean-up: API calls past ``EINV_API_CALL_LOG_DAYS`` (ADMIN-9), and
operator and portal sessions past their absolute limit. It owns its transactions: one short
one per batch, beside the gateway's inserts."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import transaction
from kit.tasks import Periodic
from tenant_admin.calllog import service as calllog
from tenant_admin.operators.service import purge_sessions as purge_operator_sessions
from tenant_admin.portal.service import purge_sessions as purge_portal_sessions

log = logging.getLogger("tenant_admin.housekeeping")

INTERVAL_S = 3600.0


async def clean_up(engine: AsyncEngine, call_log_days: int) -> int:
    """One pass; how many rows went."""
    cutoff, removed = calllog.cutoff(call_log_days), 0
    while True:
        async with transaction(engine) as conn:
            batch = await calllog.purge_batch(conn, cutoff)
        removed += batch
        if batch < calllog.PURGE_BATCH:
            break
    async with transaction(engine) as conn:
        removed += await purge_operator_sessions(conn) + await purge_portal_sessions(conn)
    if removed:
        log.info("housekeeping removed rows", extra={"rows": removed})
    return removed


def housekeeping(engine: AsyncEngine, call_log_days: int) -> Periodic:
    return Periodic(
        "tenant-admin.housekeeping", lambda: clean_up(engine, call_log_days), INTERVAL_S
    )
