"""SQL of the notices domain (``catalog.tables.connection_loss_notices``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import connection_loss_notices as notices
from catalog.tables import customers, issuer_vats

N = notices.c
Key = tuple[str, str, str]  # issuer VAT, series key, number key


async def issuer_vats_of(conn: AsyncConnection, tenant_id: str) -> list[str]:
    """The customer's own VAT first, then the ones it may issue for."""
    own = select(customers.c.vat).where(customers.c.id == tenant_id)
    authorised = select(issuer_vats.c.vat).where(issuer_vats.c.customer_id == tenant_id)
    first = (await conn.execute(own)).scalar_one_or_none()
    if first is None:
        return []
    return [first, *(await conn.execute(authorised)).scalars()]


async def insert_new(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """Record each notice once: a repeat of an earlier one keeps the earlier receipt."""
    statement = (
        insert(notices)
        .values(rows)
        .on_conflict_do_nothing(constraint="connection_loss_notices_key")
    )
    await conn.execute(statement)


async def by_keys(conn: AsyncConnection, tenant_id: str, keys: list[Key]) -> list[Row[Any]]:
    statement = select(notices).where(
        N.tenant_id == tenant_id,
        tuple_(N.issuer_vat, N.series_key, N.number_key).in_(keys),
    )
    return list((await conn.execute(statement)).all())


async def of_tenant(conn: AsyncConnection, tenant_id: str, limit: int) -> list[Row[Any]]:
    statement = select(notices).where(N.tenant_id == tenant_id).order_by(N.id.desc()).limit(limit)
    return list((await conn.execute(statement)).all())


async def match(conn: AsyncConnection, tenant_id: str, key: Key, uid: str, flagged: bool) -> int:
    """Mark the notice of this invoice as matched; how many were (0 or 1)."""
    vat, series, number = key
    statement = (
        update(notices)
        .where(
            N.tenant_id == tenant_id,
            N.issuer_vat == vat,
            N.series_key == series,
            N.number_key == number,
            N.matched_at.is_(None),
        )
        .values(matched_at=func.now(), matched_uid=uid, arrived_flagged=flagged)
    )
    return (await conn.execute(statement)).rowcount


async def unmatched(conn: AsyncConnection, older_than: datetime, limit: int) -> list[Row[Any]]:
    statement = (
        select(notices, customers.c.company_name)
        .join(customers, customers.c.id == N.tenant_id)
        .where(and_(N.matched_at.is_(None), N.received_at < older_than))
        .order_by(N.received_at)
        .limit(limit)
    )
    return list((await conn.execute(statement)).all())


async def transaction_time(conn: AsyncConnection) -> datetime:
    """``now()``: the same instant for every row this transaction wrote."""
    moment: datetime = (await conn.execute(select(func.now()))).scalar_one()
    return moment


async def contact_of(conn: AsyncConnection, tenant_id: str) -> tuple[str, str]:
    """The customer's e-mail address and language."""
    query = select(customers.c.email, customers.c.language).where(customers.c.id == tenant_id)
    email, language = (await conn.execute(query)).one()
    return str(email), str(language)
