"""All SQL of the transmissions domain (SQLAlchemy Core: this is the hot path)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import Enum
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import InvoiceSubmitted
from mydata_sync.db.tables import attempts, transmissions
from mydata_sync.transmissions.outcomes import Outcome

T = transmissions.c


class ClaimMode(Enum):
    """Which states a claim may take an invoice from (an expired lease is always claimable)."""

    FRESH = "fresh"  # the RPC: only a new invoice; a repeat answers the stored state
    DUE = "due"  # the sweep: deferred ones whose time has come, stale pending ones
    FORCE = "force"  # commands and operator resends: any pending or deferred one


def _claimable(mode: ClaimMode, lease: timedelta) -> ColumnElement[bool]:
    expired = and_(T.state == "in_flight", T.lease_until < func.now())
    if mode is ClaimMode.FRESH:
        return or_(T.state == "pending", expired)
    if mode is ClaimMode.FORCE:
        return or_(T.state.in_(("pending", "deferred")), expired)
    due = and_(T.state == "deferred", T.next_attempt_at <= func.now())
    # A pending row older than a lease lost its RPC before the claim committed.
    stale = and_(T.state == "pending", T.created_at < func.now() - lease)
    return or_(due, expired, stale)


def _submitted(req: InvoiceSubmitted) -> dict[str, Any]:
    return {
        "invoice_id": req.invoice_id,
        "customer_username": req.customer_username,
        "temporary_code": req.temporary_code,
        "invoice": req.invoice,
        "xml": req.xml,
    }


async def insert_claimed(
    conn: AsyncConnection, req: InvoiceSubmitted, lease_s: float, token: str
) -> Row[Any] | None:
    """The hot path's one statement: a first submission recorded already in this worker's hands
    (what ``record_submission`` + ``claim`` make of a new row); None when (tenant, uid) is known,
    and then those two decide."""
    stmt = (
        insert(transmissions)
        .values(
            tenant_id=req.tenant_id,
            uid=req.uid,
            **_submitted(req),
            state="in_flight",
            lease_until=func.now() + timedelta(seconds=lease_s),
            lease_token=token,
            last_attempt_at=func.now(),
        )
        .on_conflict_do_nothing(constraint="transmissions_tenant_uid")
        .returning(*transmissions.c)
    )
    return (await conn.execute(stmt)).first()


async def record_submission(conn: AsyncConnection, req: InvoiceSubmitted) -> None:
    """Record the invoice once per (tenant, uid). A resubmission after myDATA rejected the uid is
    a corrected invoice (invoice-service replaced the rejected one, so its ``invoice_id``
    differs): it starts over as ``pending``, with the history of the rejected one kept in
    ``attempts``. Any other repeat leaves the row alone."""
    new = _submitted(req)
    stmt = insert(transmissions).values(tenant_id=req.tenant_id, uid=req.uid, **new)
    corrected = and_(T.state == "rejected", T.invoice_id != stmt.excluded.invoice_id)
    restart: dict[str, Any] = {
        **{name: stmt.excluded[name] for name in new},
        "state": "pending",
        "announced_state": None,
        "errors": [],
        "outage": False,
        "last_error": None,
        "next_attempt_at": None,
        "updated_at": func.now(),
    }
    stmt = stmt.on_conflict_do_update(
        constraint="transmissions_tenant_uid", set_=restart, where=corrected
    )
    await conn.execute(stmt)


async def claim(
    conn: AsyncConnection, where: ColumnElement[bool], mode: ClaimMode, lease_s: float, token: str
) -> Row[Any] | None:
    """Atomically take the invoice into this worker's hands, or None if someone else has it.

    ``outage`` is computed from the OLD state (PostgreSQL evaluates SET expressions on the row
    before the update): anything but a first try from ``pending`` means a temporary string may
    already be printed, so the XML must carry transmissionFailure 2.
    """
    lease = timedelta(seconds=lease_s)
    stmt = (
        update(transmissions)
        .where(where, _claimable(mode, lease))
        .values(
            state="in_flight",
            outage=or_(T.outage, T.state != "pending"),
            lease_until=func.now() + lease,
            lease_token=token,
            last_attempt_at=func.now(),
            updated_at=func.now(),
        )
        .returning(*transmissions.c)
    )
    return (await conn.execute(stmt)).first()


def by_key(tenant_id: str, uid: str) -> ColumnElement[bool]:
    return and_(T.tenant_id == tenant_id, T.uid == uid)


def by_id(transmission_id: int) -> ColumnElement[bool]:
    return T.id == transmission_id


async def get(conn: AsyncConnection, where: ColumnElement[bool]) -> Row[Any] | None:
    return (await conn.execute(select(transmissions).where(where))).first()


async def last_attempt(conn: AsyncConnection, transmission_id: int) -> Row[Any] | None:
    stmt = (
        select(attempts)
        .where(attempts.c.transmission_id == transmission_id)
        .order_by(attempts.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(stmt)).first()


async def record_attempt(
    conn: AsyncConnection, transmission_id: int, started_at: datetime, outcome: Outcome
) -> None:
    await conn.execute(
        attempts.insert().values(
            transmission_id=transmission_id,
            started_at=started_at,
            outcome=outcome.kind,
            http_status=outcome.wire.http_status,
            request_xml=outcome.wire.request_xml,
            response_xml=outcome.wire.response_xml,
            error=outcome.error,
        )
    )


async def record_outcome(
    conn: AsyncConnection, row: Row[Any], outcome: Outcome, retry_in_s: float | None
) -> Row[Any] | None:
    """Write the outcome if this worker still holds the lease; None if it was lost."""
    next_at = func.now() + timedelta(seconds=retry_in_s) if retry_in_s is not None else None
    stmt = (
        update(transmissions)
        .where(T.id == row.id, T.state == "in_flight", T.lease_token == row.lease_token)
        .values(
            state=outcome.state,
            announced_state=outcome.state,
            mark=outcome.mark or T.mark,
            authentication_code=outcome.authentication_code or T.authentication_code,
            qr_url=outcome.qr_url or T.qr_url,
            errors=_errors(outcome),
            last_error=outcome.error,
            attempts=T.attempts + (1 if outcome.called else 0),
            next_attempt_at=next_at,
            lease_until=None,
            lease_token=None,
            updated_at=func.now(),
        )
        .returning(*transmissions.c)
    )
    return (await conn.execute(stmt)).first()


_RECORD_TRANSMITTED = text(
    """
    WITH moved AS (
        UPDATE transmissions
        SET state = 'transmitted', announced_state = 'transmitted',
            mark = COALESCE(CAST(:mark AS text), mark),
            authentication_code = COALESCE(CAST(:authentication_code AS text),
                                           authentication_code),
            qr_url = COALESCE(CAST(:qr_url AS text), qr_url),
            errors = CAST(:errors AS jsonb), last_error = CAST(:error AS text),
            attempts = attempts + 1, next_attempt_at = NULL, lease_until = NULL,
            lease_token = NULL, updated_at = now()
        WHERE id = CAST(:id AS bigint) AND state = 'in_flight'
          AND lease_token = CAST(:token AS text)
        RETURNING *
    ), attempt AS (
        INSERT INTO attempts (transmission_id, started_at, outcome, http_status, request_xml,
                              response_xml, error)
        VALUES (CAST(:id AS bigint), CAST(:started_at AS timestamptz), CAST(:kind AS text),
                CAST(:http_status AS integer), CAST(:request_xml AS text),
                CAST(:response_xml AS text), CAST(:error AS text))
    ), announced AS (
        INSERT INTO outbox (message_id, routing_key, body, headers)
        SELECT CAST(:message_id AS text), CAST(:routing_key AS text), CAST(:body AS bytea),
               CAST(:headers AS text)
        FROM moved WHERE CAST(:announce AS boolean)
    )
    SELECT * FROM moved
    """
)
_NOT_ANNOUNCED = dict.fromkeys(("message_id", "routing_key", "body", "headers"))


def transmitted_view(row: Row[Any], outcome: Outcome) -> SimpleNamespace:
    """The transmission as ``record_transmitted`` will leave it (what its event is built from)."""
    changes = {
        "state": "transmitted", "announced_state": "transmitted",
        "mark": outcome.mark or row.mark,
        "authentication_code": outcome.authentication_code or row.authentication_code,
        "qr_url": outcome.qr_url or row.qr_url, "errors": _errors(outcome),
        "last_error": outcome.error, "attempts": row.attempts + 1, "next_attempt_at": None,
        "lease_until": None, "lease_token": None,
    }  # fmt: skip
    return SimpleNamespace(**{**row._mapping, **changes})


async def record_transmitted(
    conn: AsyncConnection,
    row: Row[Any],
    outcome: Outcome,
    started_at: datetime,
    outbox_row: dict[str, Any] | None,
) -> Row[Any] | None:
    """``record_attempt`` + ``record_outcome`` of a registered invoice + its outcome event in
    the outbox (when given), as one statement; None (nothing but the attempt written) when the
    lease was lost."""
    params = {
        "id": row.id, "token": row.lease_token, "mark": outcome.mark,
        "authentication_code": outcome.authentication_code, "qr_url": outcome.qr_url,
        "errors": json.dumps(_errors(outcome)), "error": outcome.error, "kind": outcome.kind,
        "started_at": started_at, "http_status": outcome.wire.http_status,
        "request_xml": outcome.wire.request_xml, "response_xml": outcome.wire.response_xml,
        "announce": outbox_row is not None, **(outbox_row or _NOT_ANNOUNCED),
    }  # fmt: skip
    return (await conn.execute(_RECORD_TRANSMITTED, params)).first()


def _errors(outcome: Outcome) -> list[dict[str, str]]:
    return [{"code": e.code, "message": e.message} for e in outcome.errors]


async def due_ids(conn: AsyncConnection, limit: int, lease_s: float) -> list[int]:
    lease = timedelta(seconds=lease_s)
    stmt = (
        select(T.id)
        .where(_claimable(ClaimMode.DUE, lease))
        .order_by(T.next_attempt_at.nulls_first(), T.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).scalars())


def _on_resend_list() -> ColumnElement[bool]:
    # Deferred ones, and those being re-sent right now that outsiders still see as deferred.
    return or_(T.state == "deferred", and_(T.state == "in_flight", T.announced_state == "deferred"))


async def resend_page(conn: AsyncConnection, limit: int, offset: int) -> list[Row[Any]]:
    stmt = select(transmissions).where(_on_resend_list()).order_by(T.id).limit(limit).offset(offset)
    return list((await conn.execute(stmt)).all())


async def resend_count(conn: AsyncConnection) -> int:
    stmt = select(func.count()).select_from(transmissions).where(_on_resend_list())
    return int((await conn.execute(stmt)).scalar_one())


async def deferred_ids(conn: AsyncConnection, after_id: int, limit: int) -> list[int]:
    stmt = select(T.id).where(T.state == "deferred", T.id > after_id).order_by(T.id).limit(limit)
    return list((await conn.execute(stmt)).scalars())


async def deferred_count(conn: AsyncConnection) -> int:
    stmt = select(func.count()).select_from(transmissions).where(T.state == "deferred")
    return int((await conn.execute(stmt)).scalar_one())
