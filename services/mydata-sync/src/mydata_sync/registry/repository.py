"""All SQL of the registry domain: one row of sealed codes per customer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from mydata_sync.db.tables import registry_codes

C = registry_codes.c


async def codes_of(conn: AsyncConnection, tenant_id: str) -> Row[Any] | None:
    result = await conn.execute(select(registry_codes).where(C.tenant_id == tenant_id))
    return result.first()


async def save(conn: AsyncConnection, tenant_id: str, username: str, password: str) -> None:
    """Store sealed codes, replacing older ones (and their refusal)."""
    values = {"sealed_username": username, "sealed_password": password}
    statement = insert(registry_codes).values(tenant_id=tenant_id, **values)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[C.tenant_id],
            set_={**values, "saved_at": func.now(), "refused_at": None, "refusal": None},
        )
    )


async def mark_refused(
    conn: AsyncConnection, tenant_id: str, sealed_password: str, code: str
) -> None:
    # Only the codes that were refused: new ones stored meanwhile stay usable.
    await conn.execute(
        update(registry_codes)
        .where(C.tenant_id == tenant_id, C.sealed_password == sealed_password)
        .values(refused_at=func.now(), refusal=code)
    )


async def forget(conn: AsyncConnection, tenant_id: str) -> None:
    await conn.execute(delete(registry_codes).where(C.tenant_id == tenant_id))


async def all_sealed(conn: AsyncConnection) -> Sequence[Any]:
    """(tenant_id, sealed_username, sealed_password) of every customer with stored codes."""
    stmt = select(C.tenant_id, C.sealed_username, C.sealed_password).order_by(C.tenant_id)
    return (await conn.execute(stmt)).all()


async def replace_sealed(
    conn: AsyncConnection, tenant_id: str, was: str, username: str, password: str
) -> bool:
    """The same codes sealed anew, unless the customer stored others meanwhile (``was`` is the
    sealed password read before)."""
    result = await conn.execute(
        update(registry_codes)
        .where(C.tenant_id == tenant_id, C.sealed_password == was)
        .values(sealed_username=username, sealed_password=password)
    )
    return bool(result.rowcount)
