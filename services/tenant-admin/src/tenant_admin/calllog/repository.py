"""SQL of the call log (``catalog.tables.api_calls``: the gateway inserts, this reads, purges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import api_calls, customers

SUMMARY = api_calls.c["id", "at", "method", "path", "query", "status", "latency_ms", "request_id"]


async def set_flag(conn: AsyncConnection, customer_id: str, on: bool) -> bool:
    """True when the flag changed."""
    stmt = (
        update(customers)
        .where(customers.c.id == customer_id, customers.c.api_call_log.is_not(on))
        .values(api_call_log=on, updated_at=func.now())
    )
    return bool((await conn.execute(stmt)).rowcount)


def _filtered(stmt: Select[Any], customer_id: str, filters: dict[str, Any]) -> Select[Any]:
    c = api_calls.c
    stmt = stmt.where(c.customer_id == customer_id)
    if filters.get("since"):
        stmt = stmt.where(c.at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(c.at < filters["until"])
    if filters.get("statuses"):
        low, high = filters["statuses"]
        stmt = stmt.where(c.status.between(low, high))
    if filters.get("path"):
        pattern = filters["path"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(c.path.ilike(f"%{pattern}%"))
    return stmt


async def calls(
    conn: AsyncConnection,
    customer_id: str,
    filters: dict[str, Any],
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[RowMapping]:
    """Newest first; ``before`` = the last row shown (keyset)."""
    c = api_calls.c
    stmt = _filtered(select(*SUMMARY), customer_id, filters)
    if before is not None:
        stmt = stmt.where(tuple_(c.at, c.id) < tuple_(*before))
    stmt = stmt.order_by(c.at.desc(), c.id.desc()).limit(limit)
    return list((await conn.execute(stmt)).mappings().all())


async def call(conn: AsyncConnection, customer_id: str, call_id: int) -> RowMapping | None:
    stmt = select(api_calls).where(
        api_calls.c.id == call_id, api_calls.c.customer_id == customer_id
    )
    row: RowMapping | None = (await conn.execute(stmt)).mappings().first()
    return row


async def purge(conn: AsyncConnection, older_than: datetime, batch: int) -> int:
    """Delete up to ``batch`` calls older than ``older_than`` (short transactions: the gateway
    keeps inserting meanwhile)."""
    doomed = select(api_calls.c.id).where(api_calls.c.at < older_than).limit(batch)
    stmt = delete(api_calls).where(api_calls.c.id.in_(doomed.scalar_subquery()))
    return int((await conn.execute(stmt)).rowcount or 0)
