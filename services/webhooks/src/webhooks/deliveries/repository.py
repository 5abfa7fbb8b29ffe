"""All SQL of the deliveries domain (SQLAlchemy Core)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from webhooks.db.tables import attempts, deliveries, endpoints

D = deliveries.c
E = endpoints.c


def after(seconds: float) -> ColumnElement[datetime]:
    return func.now() + timedelta(seconds=seconds)


async def insert_once(conn: AsyncConnection, values: list[dict[str, Any]]) -> list[int]:
    """Record deliveries, once per (endpoint, event id): the ids of the new ones only."""
    if not values:
        return []
    stmt = (
        insert(deliveries)
        .values(values)
        .on_conflict_do_nothing(constraint="deliveries_once")
        .returning(D.id)
    )
    return list((await conn.execute(stmt)).scalars())


async def claim(
    conn: AsyncConnection, delivery_id: int, lease_s: float, token: str, *, due_only: bool
) -> Row[Any] | None:
    """Take a pending delivery of an active endpoint for one attempt; with its URL, or None."""
    where = [D.id == delivery_id, D.state == "pending", E.id == D.endpoint_id, E.active]
    if due_only:
        where.append(D.next_attempt_at <= func.now())
    stmt = (
        update(deliveries)
        .where(*where)
        .values(state="sending", lease_token=token, lease_until=after(lease_s),
                attempts=D.attempts + 1, updated_at=func.now())
        .returning(*D, E.url)
    )  # fmt: skip
    return (await conn.execute(stmt)).first()


async def finish(conn: AsyncConnection, row: Row[Any], values: dict[str, Any]) -> Row[Any] | None:
    """Write an attempt's outcome if the attempt is still ours; None when it is not."""
    stmt = (
        update(deliveries)
        .where(D.id == row.id, D.state == "sending", D.lease_token == row.lease_token)
        .values(lease_token=None, lease_until=None, updated_at=func.now(), **values)
        .returning(*D)
    )
    return (await conn.execute(stmt)).first()


async def record_attempt(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(attempts.insert().values(**values))


async def recover_expired(conn: AsyncConnection, limit: int) -> list[Row[Any]]:
    """Attempts whose worker vanished (lease over): pending again, due now. Whether the request
    reached the receiver is unknown, so it is sent again (at least once)."""
    expired = (
        select(D.id)
        .where(D.state == "sending", D.lease_until < func.now())
        .order_by(D.lease_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(deliveries)
        .where(D.id.in_(expired))
        .values(state="pending", next_attempt_at=func.now(), lease_token=None, lease_until=None,
                last_error="worker lost during the attempt: sent again", updated_at=func.now())
        .returning(*D)
    )  # fmt: skip
    return list((await conn.execute(stmt)).all())


async def due(conn: AsyncConnection, limit: int) -> list[int]:
    """Pending deliveries whose time has come, of active endpoints (a disabled endpoint's wait
    until it is enabled again)."""
    stmt = (
        select(D.id)
        .join(endpoints, E.id == D.endpoint_id)
        .where(D.state == "pending", D.next_attempt_at <= func.now(), E.active)
        .order_by(D.next_attempt_at, D.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())


async def get(
    conn: AsyncConnection, tenant_id: str | None, delivery_id: int, *, lock: bool = False
) -> Row[Any] | None:
    """One delivery; of ``tenant_id`` only, unless on-call (None) asks."""
    stmt = select(deliveries).where(D.id == delivery_id)
    if tenant_id is not None:
        stmt = stmt.where(D.tenant_id == tenant_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await conn.execute(stmt)).first()


async def for_endpoint(
    conn: AsyncConnection, tenant_id: str, endpoint_id: int, before: int | None, limit: int
) -> list[Row[Any]]:
    """Newest first; ``before`` a delivery id for the next page (keyset)."""
    where = [D.tenant_id == tenant_id, D.endpoint_id == endpoint_id]
    if before is not None:
        where.append(D.id < before)
    stmt = select(deliveries).where(and_(*where)).order_by(D.id.desc()).limit(limit)
    return list((await conn.execute(stmt)).all())


async def attempts_of(conn: AsyncConnection, delivery_id: int) -> list[Row[Any]]:
    stmt = select(attempts).where(attempts.c.delivery_id == delivery_id).order_by(attempts.c.id)
    return list((await conn.execute(stmt)).all())


async def reopen(conn: AsyncConnection, row: Row[Any], window_s: float) -> Row[Any]:
    """A resend: the same event (same id, same body) pending again now, with a new window."""
    stmt = (
        update(deliveries)
        .where(D.id == row.id)
        .values(state="pending", next_attempt_at=func.now(), give_up_at=after(window_s),
                resends=D.resends + 1, updated_at=func.now())
        .returning(*D)
    )  # fmt: skip
    reopened = (await conn.execute(stmt)).first()
    assert reopened is not None  # the row is locked
    return reopened


async def count_by_state(conn: AsyncConnection) -> dict[str, int]:
    stmt = select(D.state, func.count()).group_by(D.state)
    return {state: int(n) for state, n in (await conn.execute(stmt)).all()}


async def backlog(conn: AsyncConnection, limit: int) -> list[Row[Any]]:
    """On-call's view: per endpoint, deliveries waiting and given up, oldest waiting first."""
    waiting = func.count().filter(D.state.in_(("pending", "sending")))
    failed = func.count().filter(D.state == "failed")
    stmt = (
        select(
            E.id, E.tenant_id, E.url, E.active, E.disabled_reason,
            waiting.label("waiting"), failed.label("failed"),
            func.min(D.created_at).filter(D.state == "pending").label("oldest_waiting"),
        )
        .join(deliveries, D.endpoint_id == E.id)
        .group_by(E.id)
        .having((waiting > 0) | (failed > 0))
        .order_by(func.min(D.created_at).filter(D.state == "pending").nulls_last(), E.id)
        .limit(limit)
    )  # fmt: skip
    return list((await conn.execute(stmt)).all())


async def failed_of_endpoint(conn: AsyncConnection, endpoint_id: int, limit: int) -> list[int]:
    stmt = (
        select(D.id)
        .where(D.endpoint_id == endpoint_id, D.state == "failed")
        .order_by(D.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())
