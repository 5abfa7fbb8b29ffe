"""SQL for ``packages``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import packages
from tenant_admin.tenants.schemas import PackageInfo

_COLUMNS = packages.c["id", "call_limit", "calls_used", "starts_at", "ends_at"]


async def insert_package(
    conn: AsyncConnection, customer_id: str, calls: int, starts_at: datetime, ends_at: datetime
) -> PackageInfo:
    stmt = insert(packages).values(
        customer_id=customer_id, call_limit=calls, starts_at=starts_at, ends_at=ends_at
    )
    row = (await conn.execute(stmt.returning(*_COLUMNS))).one()
    return PackageInfo.model_validate(row._mapping)


async def list_packages(conn: AsyncConnection, customer_id: str) -> list[PackageInfo]:
    stmt = select(*_COLUMNS).where(packages.c.customer_id == customer_id)
    rows = (await conn.execute(stmt.order_by(packages.c.starts_at, packages.c.id))).all()
    return [PackageInfo.model_validate(row._mapping) for row in rows]
