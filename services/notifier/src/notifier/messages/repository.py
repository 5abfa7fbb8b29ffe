"""All SQL of the messages domain (SQLAlchemy Core)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from notifier.db.tables import attachments, attempts, messages

M = messages.c


def after(seconds: float) -> ColumnElement[datetime]:
    return func.now() + timedelta(seconds=seconds)


async def insert_message(conn: AsyncConnection, values: dict[str, Any]) -> int | None:
    """Record a message once per ``notification_id``; its id, or None when it was known."""
    stmt = (
        insert(messages)
        .values(**values)
        .on_conflict_do_nothing(constraint="messages_notification_id")
        .returning(M.id)
    )
    found: int | None = (await conn.execute(stmt)).scalar_one_or_none()
    return found


async def claim(
    conn: AsyncConnection, message_pk: int, lease_s: float, token: str, *, due_only: bool
) -> Row[Any] | None:
    """Take a pending message into this worker's hands for one attempt, or None."""
    where = [M.id == message_pk, M.state == "pending"]
    if due_only:
        where.append(M.next_attempt_at <= func.now())
    stmt = (
        update(messages)
        .where(*where)
        .values(
            state="sending",
            lease_token=token,
            lease_until=after(lease_s),
            attempts=M.attempts + 1,
            handed_over_at=None,
            updated_at=func.now(),
        )
        .returning(*messages.c)
    )
    return (await conn.execute(stmt)).first()


def _ours(row: Row[Any]) -> ColumnElement[bool]:
    return and_(M.id == row.id, M.state == "sending", M.lease_token == row.lease_token)


async def mark_handed_over(conn: AsyncConnection, row: Row[Any]) -> bool:
    """Record the point of no return, if the attempt is still ours and its lease still runs."""
    stmt = (
        update(messages)
        .where(_ours(row), M.lease_until > func.now())
        .values(handed_over_at=func.now(), updated_at=func.now())
        .returning(M.id)
    )
    return (await conn.execute(stmt)).first() is not None


async def finish_attempt(
    conn: AsyncConnection, row: Row[Any], values: dict[str, Any]
) -> Row[Any] | None:
    """Write an attempt's outcome if the attempt is still ours; None when it is not."""
    stmt = (
        update(messages)
        .where(_ours(row))
        .values(lease_token=None, lease_until=None, updated_at=func.now(), **values)
        .returning(*messages.c)
    )
    return (await conn.execute(stmt)).first()


async def record_attempt(
    conn: AsyncConnection,
    message_pk: int,
    number: int,
    started_at: datetime,
    *,
    handed_over: bool,
    outcome: str,
    detail: str | None,
) -> None:
    await conn.execute(
        attempts.insert().values(
            message_pk=message_pk,
            number=number,
            started_at=started_at,
            handed_over=handed_over,
            outcome=outcome,
            detail=detail,
        )
    )


async def move(
    conn: AsyncConnection,
    message_pk: int,
    from_states: Sequence[str],
    values: dict[str, Any],
    *,
    checks_seen: int | None = None,
) -> Row[Any] | None:
    """Change a message only if it is still as the caller read it: in one of ``from_states``
    (and, for status look-ups, after ``checks_seen`` of them: two processes looking up the same
    message cannot both act on their answer)."""
    where = [M.id == message_pk, M.state.in_(from_states)]
    if checks_seen is not None:
        where.append(M.status_checks == checks_seen)
    stmt = (
        update(messages)
        .where(*where)
        .values(updated_at=func.now(), **values)
        .returning(*messages.c)
    )
    return (await conn.execute(stmt)).first()


async def recover_expired(conn: AsyncConnection, limit: int) -> list[Row[Any]]:
    """Attempts whose worker vanished (lease expired): back to pending when they never reached
    their point of no return, else unknown (an SMS is then looked up at once)."""
    expired = (
        select(M.id)
        .where(M.state == "sending", M.lease_until < func.now())
        .order_by(M.lease_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    never_left = M.handed_over_at.is_(None)
    stmt = (
        update(messages)
        .where(M.id.in_(expired))
        .values(
            state=case((never_left, "pending"), else_="unknown"),
            next_attempt_at=case((never_left | (M.channel == "sms"), func.now()), else_=None),
            last_error=case(
                (never_left, "worker lost before the point of no return: sent again"),
                else_="worker lost after handing the message over: unknown",
            ),
            lease_token=None,
            lease_until=None,
            updated_at=func.now(),
        )
        .returning(*messages.c)
    )
    return list((await conn.execute(stmt)).all())


async def due_pending(conn: AsyncConnection, limit: int) -> list[int]:
    stmt = (
        select(M.id)
        .where(M.state == "pending", M.next_attempt_at <= func.now())
        .order_by(M.next_attempt_at, M.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())


async def due_unknown_sms(conn: AsyncConnection, limit: int) -> list[int]:
    stmt = (
        select(M.id)
        .where(M.state == "unknown", M.channel == "sms", M.next_attempt_at <= func.now())
        .order_by(M.next_attempt_at, M.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())


async def by_provider_message_id(
    conn: AsyncConnection, provider_message_id: str
) -> Row[Any] | None:
    """The message with this SMS provider id, locked: its reports are applied one at a time."""
    stmt = select(messages).where(M.provider_message_id == provider_message_id).with_for_update()
    return (await conn.execute(stmt)).first()


async def get(conn: AsyncConnection, message_pk: int) -> Row[Any] | None:
    return (await conn.execute(select(messages).where(M.id == message_pk))).first()


async def by_notification_id(
    conn: AsyncConnection, notification_id: str, *, lock: bool = False
) -> Row[Any] | None:
    stmt = select(messages).where(M.notification_id == notification_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await conn.execute(stmt)).first()


async def for_invoices(
    conn: AsyncConnection, tenant_id: str, uid: str | None, limit: int
) -> list[Row[Any]]:
    """A customer's invoice e-mails (of one invoice when ``uid`` is given), newest first."""
    stmt = select(messages).where(M.tenant_id == tenant_id)
    if uid is not None:
        stmt = stmt.where(M.invoice_uid == uid)
    stmt = stmt.order_by(M.id.desc()).limit(limit)
    return list((await conn.execute(stmt)).all())


async def insert_attachment(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(attachments.insert().values(**values))


async def attachments_of(conn: AsyncConnection, message_pk: int) -> list[Row[Any]]:
    A = attachments.c
    stmt = select(attachments).where(A.message_pk == message_pk).order_by(A.position)
    return list((await conn.execute(stmt)).all())


async def wipe_attachments(conn: AsyncConnection, message_pk: int) -> None:
    """Drop the contents of a sent message's attachments: nothing sends it again."""
    A = attachments.c
    stmt = update(attachments).where(A.message_pk == message_pk, A.content.is_not(None))
    await conn.execute(stmt.values(content=None))


async def for_customer(conn: AsyncConnection, customer_id: str, limit: int) -> list[Row[Any]]:
    stmt = select(messages).where(M.customer_id == customer_id).order_by(M.id.desc()).limit(limit)
    return list((await conn.execute(stmt)).all())


async def in_states(conn: AsyncConnection, states: Sequence[str], limit: int) -> list[Row[Any]]:
    stmt = select(messages).where(M.state.in_(states)).order_by(M.id).limit(limit)
    return list((await conn.execute(stmt)).all())


async def attempts_of(conn: AsyncConnection, message_pk: int) -> list[Row[Any]]:
    stmt = select(attempts).where(attempts.c.message_pk == message_pk).order_by(attempts.c.id)
    return list((await conn.execute(stmt)).all())


async def count_by_state(conn: AsyncConnection) -> dict[str, int]:
    stmt = select(M.state, func.count()).group_by(M.state)
    return {state: int(n) for state, n in (await conn.execute(stmt)).all()}
