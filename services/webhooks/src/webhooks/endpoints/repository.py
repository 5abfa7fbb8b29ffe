"""All SQL of the endpoints domain (SQLAlchemy Core); every read is scoped by tenant."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from webhooks.db.tables import deliveries, endpoint_secrets, endpoints

E = endpoints.c
S = endpoint_secrets.c
D = deliveries.c


def _valid_secret() -> Any:
    return or_(S.expires_at.is_(None), S.expires_at > func.now())


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> Row[Any]:
    row = (await conn.execute(endpoints.insert().values(**values).returning(*E))).first()
    assert row is not None
    return row


async def count(conn: AsyncConnection, tenant_id: str) -> int:
    stmt = select(func.count()).select_from(endpoints).where(E.tenant_id == tenant_id)
    return int((await conn.execute(stmt)).scalar_one())


async def for_tenant(conn: AsyncConnection, tenant_id: str) -> list[Row[Any]]:
    stmt = select(endpoints).where(E.tenant_id == tenant_id).order_by(E.id)
    return list((await conn.execute(stmt)).all())


async def get(
    conn: AsyncConnection, tenant_id: str, endpoint_id: int, *, lock: bool = False
) -> Row[Any] | None:
    stmt = select(endpoints).where(E.tenant_id == tenant_id, E.id == endpoint_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await conn.execute(stmt)).first()


async def update_endpoint(
    conn: AsyncConnection, tenant_id: str, endpoint_id: int, values: dict[str, Any]
) -> Row[Any] | None:
    stmt = (
        update(endpoints)
        .where(E.tenant_id == tenant_id, E.id == endpoint_id)
        .values(updated_at=func.now(), **values)
        .returning(*E)
    )
    return (await conn.execute(stmt)).first()


async def disable(conn: AsyncConnection, endpoint_id: int, reason: str) -> None:
    """The service's own decision (a 410 Gone), whoever's endpoint it is."""
    stmt = (
        update(endpoints)
        .where(E.id == endpoint_id, E.active.is_(True))
        .values(active=False, disabled_reason=reason, updated_at=func.now())
    )
    await conn.execute(stmt)


async def remove(conn: AsyncConnection, tenant_id: str, endpoint_id: int) -> bool:
    stmt = delete(endpoints).where(E.tenant_id == tenant_id, E.id == endpoint_id).returning(E.id)
    return (await conn.execute(stmt)).first() is not None


async def subscribed(conn: AsyncConnection, tenant_id: str, event_type: str) -> list[int]:
    """The tenant's active endpoints that chose ``event_type``."""
    stmt = select(E.id).where(
        E.tenant_id == tenant_id, E.active.is_(True), E.events.contains([event_type])
    )
    return list((await conn.execute(stmt)).scalars())


# --- secrets ----------------------------------------------------------------------------------


async def add_secret(conn: AsyncConnection, endpoint_id: int, sealed: str, hint: str) -> int:
    stmt = (
        endpoint_secrets.insert()
        .values(endpoint_id=endpoint_id, sealed=sealed, hint=hint)
        .returning(S.id)
    )
    return int((await conn.execute(stmt)).scalar_one())


async def valid_secrets(conn: AsyncConnection, endpoint_ids: list[int]) -> list[Row[Any]]:
    """The valid secrets of these endpoints, newest first."""
    stmt = (
        select(endpoint_secrets)
        .where(S.endpoint_id.in_(endpoint_ids), _valid_secret())
        .order_by(S.endpoint_id, S.id.desc())
    )
    return list((await conn.execute(stmt)).all())


async def expire_secrets(
    conn: AsyncConnection, endpoint_id: int, except_id: int, after_s: float
) -> None:
    """Every valid secret of the endpoint but ``except_id`` ends at most ``after_s`` from now
    (0: at once); one already ending sooner keeps its end."""
    ends: Any = func.now() + timedelta(seconds=after_s)
    stmt = (
        update(endpoint_secrets)
        .where(S.endpoint_id == endpoint_id, S.id != except_id, _valid_secret())
        .values(expires_at=func.least(func.coalesce(S.expires_at, ends), ends))
    )
    await conn.execute(stmt)


async def expire_all_but_newest(conn: AsyncConnection, endpoint_id: int, keep: int) -> None:
    """At most ``keep`` valid secrets: the older valid ones end now."""
    newest = (
        select(S.id)
        .where(S.endpoint_id == endpoint_id, _valid_secret())
        .order_by(S.id.desc())
        .limit(keep)
    )
    stmt = (
        update(endpoint_secrets)
        .where(S.endpoint_id == endpoint_id, _valid_secret(), S.id.not_in(newest))
        .values(expires_at=func.now())
    )
    await conn.execute(stmt)


# --- counts shown beside each endpoint ------------------------------------------------------


async def delivery_counts(
    conn: AsyncConnection, endpoint_ids: list[int], since: datetime | None = None
) -> dict[tuple[int, str], int]:
    where: list[Any] = [
        D.endpoint_id.in_(endpoint_ids),
        D.state.in_(("pending", "sending", "failed")),
    ]
    if since is not None:
        where.append(D.created_at >= since)
    stmt = select(D.endpoint_id, D.state, func.count()).where(and_(*where))
    stmt = stmt.group_by(D.endpoint_id, D.state)
    return {(e, s): int(n) for e, s, n in (await conn.execute(stmt)).all()}
