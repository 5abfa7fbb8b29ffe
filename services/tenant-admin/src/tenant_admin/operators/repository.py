"""SQL for ``operators`` and their admin-app sessions (``operator_sessions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, RowMapping, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import operator_sessions, operators


@dataclass(frozen=True, slots=True)
class OperatorRow:
    id: int
    username: str
    password_hash: str


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


async def set_password(conn: AsyncConnection, username: str, password_hash: str) -> bool:
    """False when there is no such operator."""
    stmt = (
        update(operators)
        .where(func.lower(operators.c.username) == username.lower())
        .values(password_hash=password_hash, updated_at=func.now())
    )
    return bool((await conn.execute(stmt)).rowcount)


def _active(username: str) -> ColumnElement[bool]:
    return and_(
        func.lower(operators.c.username) == username.lower(), operators.c.disabled.is_(False)
    )


async def active_password_hash(conn: AsyncConnection, username: str) -> str | None:
    stmt = select(operators.c.password_hash).where(_active(username))
    return (await conn.execute(stmt)).scalar_one_or_none()


async def active_operator(conn: AsyncConnection, username: str) -> OperatorRow | None:
    o = operators.c
    row = await conn.execute(select(o.id, o.username, o.password_hash).where(_active(username)))
    found = row.first()
    return OperatorRow(*found) if found else None


async def insert_session(
    conn: AsyncConnection, id_hash: str, operator_id: int, csrf: str, ip: str, expires_at: datetime
) -> None:
    values = {"operator_id": operator_id, "csrf_token": csrf, "client_ip": ip}
    await conn.execute(
        insert(operator_sessions).values(id_hash=id_hash, expires_at=expires_at, **values)
    )


async def live_session(conn: AsyncConnection, id_hash: str, idle_s: int) -> RowMapping | None:
    """The session with its operator (still enabled), if it is neither past its absolute limit
    nor idle too long; its ``last_seen_at`` moves to now (the idle limit starts again)."""
    s = operator_sessions.c
    idle_cut = func.now() - func.make_interval(0, 0, 0, 0, 0, 0, idle_s)
    touched = (
        update(operator_sessions)
        .where(s.id_hash == id_hash, s.expires_at > func.now(), s.last_seen_at > idle_cut)
        .values(last_seen_at=func.now())
        .returning(s.operator_id, s.csrf_token, s.expires_at)
        .cte("touched")
    )
    stmt = (
        select(touched, operators.c.username)
        .join(operators, operators.c.id == touched.c.operator_id)
        .where(operators.c.disabled.is_(False))
    )
    row: RowMapping | None = (await conn.execute(stmt)).mappings().first()
    return row


async def delete_session(conn: AsyncConnection, id_hash: str) -> None:
    await conn.execute(delete(operator_sessions).where(operator_sessions.c.id_hash == id_hash))


async def delete_expired_sessions(conn: AsyncConnection) -> int:
    stmt = delete(operator_sessions).where(operator_sessions.c.expires_at < func.now())
    return int((await conn.execute(stmt)).rowcount or 0)
