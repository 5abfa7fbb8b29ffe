"""All SQL of the invoice e-mails (SQLAlchemy Core): one ``invoice_emails`` row per (tenant,
uid), claimed with a lease while it is resolved, and what became of its message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from notifier.db.tables import invoice_emails, messages

E = invoice_emails.c
M = messages.c
# The view's columns: the row and, once queued, its message's state and sending time.
_VIEW = (*invoice_emails.c, M.state.label("message_state"), M.sent_at.label("sent_at"))


def after(seconds: float) -> ColumnElement[datetime]:
    return func.now() + timedelta(seconds=seconds)


async def insert_once(conn: AsyncConnection, values: dict[str, Any]) -> int | None:
    """Record a transmitted invoice once per (tenant, uid); its id, or None when known."""
    stmt = (
        insert(invoice_emails)
        .values(**{"next_attempt_at": func.now(), **values})
        .on_conflict_do_nothing(constraint="invoice_emails_invoice")
        .returning(E.id)
    )
    found: int | None = (await conn.execute(stmt)).scalar_one_or_none()
    return found


async def claim(
    conn: AsyncConnection, pk: int, lease_s: float, token: str, *, due_only: bool
) -> Row[Any] | None:
    """Take a row still resolving into this worker's hands (a dead worker's lease has run
    out), or None."""
    free = or_(E.lease_until.is_(None), E.lease_until < func.now())
    where = [E.id == pk, E.state == "resolving", free]
    if due_only:
        where.append(E.next_attempt_at <= func.now())
    stmt = (
        update(invoice_emails)
        .where(*where)
        .values(lease_token=token, lease_until=after(lease_s), attempts=E.attempts + 1,
                updated_at=func.now())
        .returning(*invoice_emails.c)
    )  # fmt: skip
    return (await conn.execute(stmt)).first()


async def finish(conn: AsyncConnection, row: Row[Any], values: dict[str, Any]) -> bool:
    """Write the outcome of a resolution if the lease is still this worker's."""
    ours = and_(E.id == row.id, E.state == "resolving", E.lease_token == row.lease_token)
    stmt = (
        update(invoice_emails)
        .where(ours)
        .values(lease_token=None, lease_until=None, updated_at=func.now(), **values)
        .returning(E.id)
    )
    return (await conn.execute(stmt)).first() is not None


async def due(conn: AsyncConnection, limit: int) -> list[int]:
    """Rows to resolve now: their retry is due, or their worker's lease ran out."""
    stmt = (
        select(E.id)
        .where(
            E.state == "resolving",
            E.next_attempt_at <= func.now(),
            or_(E.lease_until.is_(None), E.lease_until < func.now()),
        )
        .order_by(E.next_attempt_at, E.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())


async def by_invoice(
    conn: AsyncConnection, tenant_id: str, uid: str, *, lock: bool = False
) -> Row[Any] | None:
    stmt = select(invoice_emails).where(E.tenant_id == tenant_id, E.uid == uid)
    if lock:
        stmt = stmt.with_for_update()
    return (await conn.execute(stmt)).first()


async def view(conn: AsyncConnection, tenant_id: str, uid: str) -> Row[Any] | None:
    stmt = _joined().where(E.tenant_id == tenant_id, E.uid == uid)
    return (await conn.execute(stmt)).first()


def _queued_and(*message_states: str) -> ColumnElement[bool]:
    return and_(E.state == "queued", M.state.in_(message_states))


# Each state the API shows (contracts.notifications.InvoiceEmailState) in terms of the row and
# its message.
SHOWN_STATES: dict[str, ColumnElement[bool]] = {
    "pending": or_(E.state == "resolving", _queued_and("pending", "sending")),
    "sent": _queued_and("sent", "delivered"),
    "skipped": E.state == "skipped",
    "failed": or_(E.state == "failed", _queued_and("failed")),
    "unknown": _queued_and("unknown"),
}


async def views(
    conn: AsyncConnection, tenant_id: str | None, states: list[str] | None, limit: int
) -> list[Row[Any]]:
    """Newest first, in any of the shown ``states`` (``SHOWN_STATES``)."""
    stmt = _joined()
    if tenant_id is not None:
        stmt = stmt.where(E.tenant_id == tenant_id)
    if states:
        stmt = stmt.where(or_(*(SHOWN_STATES[state] for state in states)))
    return list((await conn.execute(stmt.order_by(E.id.desc()).limit(limit))).all())


async def move(
    conn: AsyncConnection, pk: int, from_state: str, values: dict[str, Any]
) -> Row[Any] | None:
    stmt = (
        update(invoice_emails)
        .where(E.id == pk, E.state == from_state)
        .values(updated_at=func.now(), **values)
        .returning(*invoice_emails.c)
    )
    return (await conn.execute(stmt)).first()


async def count_by_state(conn: AsyncConnection) -> dict[str, int]:
    stmt = select(E.state, func.count()).group_by(E.state)
    return {state: int(n) for state, n in (await conn.execute(stmt)).all()}


def _joined() -> Any:
    joined = invoice_emails.outerjoin(messages, M.notification_id == E.notification_id)
    return select(*_VIEW).select_from(joined)
