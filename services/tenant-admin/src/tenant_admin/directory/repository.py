"""SQL of the directory (``catalog.tables.public_strings``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import customers, public_strings
from contracts.portal import PublicString


async def add(conn: AsyncConnection, entries: list[PublicString]) -> None:
    """Record each string once; a repeat (the same event twice, a later outcome of the same
    invoice) changes nothing."""
    if entries:
        rows = [e.model_dump(exclude={"company_name"}) for e in entries]
        stmt = insert(public_strings).values(rows)
        await conn.execute(stmt.on_conflict_do_nothing(index_elements=["code"]))


async def find(conn: AsyncConnection, code: str) -> PublicString | None:
    c = public_strings.c
    stmt = (
        select(c.code, c.kind, c.tenant_id, c.uid, customers.c.company_name)
        .outerjoin(customers, customers.c.id == c.tenant_id)
        .where(c.code == code)
    )
    row = (await conn.execute(stmt)).first()
    return PublicString.model_validate(row._mapping) if row else None
