"""The backlog, counted on the partial index of waiting transmissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from mydata_sync.db.tables import transmissions

T = transmissions.c
WAITING = ("pending", "deferred", "in_flight")


async def backlog(conn: AsyncConnection, tenant_id: str | None) -> tuple[int, datetime | None]:
    """How many transmissions wait for myDATA, and since when the oldest."""
    query = select(func.count(), func.min(T.created_at)).where(T.state.in_(WAITING))
    if tenant_id is not None:
        query = query.where(T.tenant_id == tenant_id)
    count, oldest = (await conn.execute(query)).one()
    return int(count), oldest
