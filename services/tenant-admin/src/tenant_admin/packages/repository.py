"""SQL for ``packages`` and their history (``package_changes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import package_changes, packages
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


async def locked_package(
    conn: AsyncConnection, customer_id: str, package_id: int
) -> PackageInfo | None:
    """The package, its row locked until the transaction ends: the gateway's spending waits, so
    a new limit is compared with the calls used at the moment it is set."""
    stmt = select(*_COLUMNS).where(
        packages.c.id == package_id, packages.c.customer_id == customer_id
    )
    row = (await conn.execute(stmt.with_for_update())).first()
    return PackageInfo.model_validate(row._mapping) if row else None


async def update_package(conn: AsyncConnection, package_id: int, **values: Any) -> PackageInfo:
    stmt = (
        update(packages).where(packages.c.id == package_id).values(updated_at=func.now(), **values)
    )
    row = (await conn.execute(stmt.returning(*_COLUMNS))).one()
    return PackageInfo.model_validate(row._mapping)


async def insert_change(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(package_changes).values(**values))


async def changes(conn: AsyncConnection, customer_id: str) -> list[RowMapping]:
    """Every change of the customer's packages, newest first."""
    c = package_changes.c
    stmt = (
        select(package_changes)
        .join(packages, packages.c.id == c.package_id)
        .where(packages.c.customer_id == customer_id)
        .order_by(c.at.desc(), c.id.desc())
    )
    return list((await conn.execute(stmt)).mappings().all())
