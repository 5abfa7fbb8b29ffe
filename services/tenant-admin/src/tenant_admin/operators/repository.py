"""SQL for ``operators``."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import operators


async def insert_operator(conn: AsyncConnection, username: str, password_hash: str) -> bool:
    """False if the username is taken."""
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(operators).values(username=username, password_hash=password_hash)
            )
    except IntegrityError:
        return False
    return True


async def active_password_hash(conn: AsyncConnection, username: str) -> str | None:
    stmt = select(operators.c.password_hash).where(
        func.lower(operators.c.username) == username.lower(), operators.c.disabled.is_(False)
    )
    return (await conn.execute(stmt)).scalar_one_or_none()
