"""SQL of the issuers domain (``catalog.tables.issuer_vats``)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import customers, issuer_vats


async def add(conn: AsyncConnection, customer_id: str, vat: str, note: str | None) -> bool:
    stmt = insert(issuer_vats).values(customer_id=customer_id, vat=vat, note=note)
    result = await conn.execute(stmt.on_conflict_do_nothing().returning(issuer_vats.c.vat))
    return result.first() is not None


async def remove(conn: AsyncConnection, customer_id: str, vat: str) -> bool:
    stmt = delete(issuer_vats).where(
        issuer_vats.c.customer_id == customer_id, issuer_vats.c.vat == vat
    )
    return bool((await conn.execute(stmt)).rowcount)


async def own_vat(conn: AsyncConnection, customer_id: str) -> str | None:
    query = select(customers.c.vat).where(customers.c.id == customer_id)
    return (await conn.execute(query)).scalar_one_or_none()


async def authorised(conn: AsyncConnection, customer_id: str) -> list[str]:
    query = (
        select(issuer_vats.c.vat)
        .where(issuer_vats.c.customer_id == customer_id)
        .order_by(issuer_vats.c.vat)
    )
    return list((await conn.execute(query)).scalars())
