"""SQL of the audit trail (``catalog.tables.operator_actions``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import operator_actions


async def insert_action(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(operator_actions).values(**values))


def _filtered(stmt: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    a = operator_actions.c
    if filters.get("operator"):
        stmt = stmt.where(func.lower(a.operator) == str(filters["operator"]).lower())
    if filters.get("action"):
        stmt = stmt.where(a.action == filters["action"])
    if filters.get("customer_id"):
        stmt = stmt.where(a.customer_id == filters["customer_id"])
    if filters.get("username"):
        stmt = stmt.where(func.lower(a.username) == str(filters["username"]).lower())
    if filters.get("since"):
        stmt = stmt.where(a.at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(a.at < filters["until"])
    return stmt


async def actions(
    conn: AsyncConnection,
    filters: dict[str, Any],
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[RowMapping]:
    """Newest first; ``before`` = the last row shown (keyset: stable while actions arrive)."""
    a = operator_actions.c
    stmt = _filtered(select(operator_actions), filters)
    if before is not None:
        stmt = stmt.where(tuple_(a.at, a.id) < tuple_(*before))
    stmt = stmt.order_by(a.at.desc(), a.id.desc()).limit(limit)
    return list((await conn.execute(stmt)).mappings().all())


async def action_names(conn: AsyncConnection) -> list[str]:
    stmt = select(operator_actions.c.action).distinct().order_by(operator_actions.c.action)
    return list((await conn.execute(stmt)).scalars().all())
