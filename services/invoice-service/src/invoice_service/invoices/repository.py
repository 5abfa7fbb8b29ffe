"""All SQL of the invoice domain (SQLAlchemy Core on the tenant database, DESIGN.md §5).

State only moves forward: ``pending → transmitted | deferred | rejected`` and
``deferred → transmitted | rejected``. Every ``apply_*`` is idempotent, because the same outcome
may arrive twice: once from the synchronous call and once as an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_schema.invoices import auth_codes, invoice_lines, invoices

OPEN_STATES = ("pending", "deferred")


@dataclass(frozen=True, slots=True)
class NewInvoice:
    """Columns of a new ``invoices`` row plus its lines (JSON bodies, in order)."""

    columns: dict[str, Any]
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A line as the answer shows it: its row id and the ERP's body."""

    id: int
    body: dict[str, Any]


async def insert_invoice(conn: AsyncConnection, new: NewInvoice) -> tuple[int, list[StoredLine]]:
    """Insert the invoice, its lines and its temporary string; the lines come back with their
    ids so that the answer needs no second read."""
    invoice_id: int = (
        await conn.execute(insert(invoices).values(**new.columns).returning(invoices.c.id))
    ).scalar_one()
    rows = [
        {"invoice_id": invoice_id, "position": i, "body": body} for i, body in enumerate(new.lines)
    ]
    stmt = insert(invoice_lines).values(rows)
    # PostgreSQL does not promise RETURNING in VALUES order: pair ids by position.
    returned = await conn.execute(stmt.returning(invoice_lines.c.position, invoice_lines.c.id))
    ids: dict[int, int] = {position: line_id for position, line_id in returned.all()}
    await add_auth_code(conn, new.columns["temporary_code"], invoice_id, "temporary")
    return invoice_id, [StoredLine(ids[i], body) for i, body in enumerate(new.lines)]


# --- the hot path: one statement per step (kit.db.single_statements, ADR 0013) ----------------
# A new invoice is stored with its lines, temporary string and submission command in ONE
# statement; a conflict (known uid, reused Idempotency-Key) stores nothing, and the careful path
# above (``insert_invoice`` after the checks, in a transaction) decides what it means.

_COLUMNS = (
    "uid", "pnr01", "idempotency_key", "state", "transmission_failure", "temporary_code",
    "issuer_vat", "counterpart_vat", "series", "aa", "invoice_type", "issue_date", "request",
    "request_xml", "total_net", "total_vat", "total_withheld", "total_fees", "total_stamp_duty",
    "total_other_taxes", "total_deductions", "total_gross",
)  # fmt: skip
_STORE_NEW = text(
    f"""
    WITH inv AS (
        INSERT INTO invoices (id, {", ".join(_COLUMNS)})
        VALUES (:id, {", ".join(f":{c}" for c in _COLUMNS)})
        ON CONFLICT DO NOTHING
        RETURNING id
    ), stored_lines AS (
        INSERT INTO invoice_lines (invoice_id, position, body)
        SELECT inv.id, l.n - 1, l.body
        FROM inv, jsonb_array_elements(:lines) WITH ORDINALITY AS l(body, n)
        RETURNING id, position
    ), temporary AS (
        INSERT INTO auth_codes (code, invoice_id, kind)
        SELECT CAST(:temporary_code AS text), inv.id, 'temporary' FROM inv
        ON CONFLICT (code) DO NOTHING
    ), queued AS (
        INSERT INTO outbox (message_id, routing_key, body, headers)
        SELECT CAST(:message_id AS text), CAST(:routing_key AS text), CAST(:body AS bytea),
               CAST(:headers AS text)
        FROM inv
    )
    SELECT (SELECT id FROM inv) AS invoice_id,
           (SELECT array_agg(id ORDER BY position) FROM stored_lines) AS line_ids
    """
).bindparams(bindparam("request", type_=JSONB), bindparam("lines", type_=JSONB))
_NEXT_ID = text("SELECT nextval(pg_get_serial_sequence('invoices', 'id'))")


async def next_invoice_id(conn: AsyncConnection) -> int:
    """The id a new invoice will have (its submission command names it)."""
    return int((await conn.execute(_NEXT_ID)).scalar_one())


async def store_new(
    conn: AsyncConnection, invoice_id: int, new: NewInvoice, outbox_row: dict[str, Any]
) -> list[StoredLine] | None:
    """Store a new invoice as ``invoice_id`` with everything issuance commits in its first step,
    in one statement; None (nothing stored) when its uid or Idempotency-Key is known."""
    params = {**new.columns, "id": invoice_id, "lines": new.lines, **outbox_row}
    row = (await conn.execute(_STORE_NEW, params)).one()
    if row.invoice_id is None:
        return None
    pairs = zip(row.line_ids, new.lines, strict=True)
    return [StoredLine(line_id, body) for line_id, body in pairs]


_APPLY_TRANSMITTED_ONCE = text(
    """
    WITH claimed AS (
        INSERT INTO inbox (consumer, message_id)
        VALUES (CAST(:consumer AS text), CAST(:event_id AS text))
        ON CONFLICT DO NOTHING
        RETURNING 1
    ), moved AS (
        UPDATE invoices
        SET state = 'transmitted', mark = CAST(:mark AS text),
            authentication_code = CAST(:authentication_code AS text),
            qr_url = CAST(:qr_url AS text), error_code = NULL, errors = NULL,
            response_xml = CAST(:response_xml AS text),
            request_xml = COALESCE(NULLIF(CAST(:request_xml AS text), ''), request_xml),
            transmitted_at = now(), updated_at = now()
        WHERE id = CAST(:invoice_id AS bigint) AND state IN ('pending', 'deferred')
          AND EXISTS (SELECT 1 FROM claimed)
        RETURNING *
    ), code AS (
        INSERT INTO auth_codes (code, invoice_id, kind)
        SELECT moved.authentication_code, moved.id, 'mydata' FROM moved
        WHERE moved.authentication_code IS NOT NULL
        ON CONFLICT (code) DO NOTHING
    ), withdrawn AS (
        UPDATE outbox SET sent_at = now()
        WHERE message_id = CAST(:command_id AS text) AND sent_at IS NULL
    )
    SELECT * FROM moved
    """
)


async def apply_transmitted_once(
    conn: AsyncConnection,
    consumer: str,
    event_id: str,
    command_id: str | None,
    values: dict[str, Any],
) -> Row[Any] | None:
    """In one statement: claim the outcome event in the inbox, move the invoice to transmitted
    with its real string, and withdraw the submission command ``command_id`` when the event is
    its answer. The invoice after the move; None when the event was applied before or the state
    had moved on (the command is withdrawn all the same)."""
    params = {"consumer": consumer, "event_id": event_id, "command_id": command_id, **values}
    return (await conn.execute(_APPLY_TRANSMITTED_ONCE, params)).first()


async def add_auth_code(conn: AsyncConnection, code: str, invoice_id: int, kind: str) -> None:
    stmt = pg_insert(auth_codes).values(code=code, invoice_id=invoice_id, kind=kind)
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=["code"]))


async def delete_invoice(conn: AsyncConnection, invoice_id: int) -> None:
    await conn.execute(delete(invoices).where(invoices.c.id == invoice_id))


async def find_by_uid(conn: AsyncConnection, uid: str, *, lock: bool = False) -> Row[Any] | None:
    query = select(invoices).where(invoices.c.uid == uid)
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).first()


async def find_by_id(conn: AsyncConnection, invoice_id: int) -> Row[Any] | None:
    return (await conn.execute(select(invoices).where(invoices.c.id == invoice_id))).first()


async def find_by_idempotency_key(conn: AsyncConnection, key: str) -> Row[Any] | None:
    query = select(invoices).where(invoices.c.idempotency_key == key)
    return (await conn.execute(query)).first()


async def find_by_auth_code(conn: AsyncConnection, code: str) -> Row[Any] | None:
    query = select(invoices).join(auth_codes).where(auth_codes.c.code == code)
    return (await conn.execute(query)).first()


async def find_by_pnr01(conn: AsyncConnection, pnr01: str) -> Row[Any] | None:
    # An external id may have been reused after a rejection: the newest invoice wins.
    query = select(invoices).where(invoices.c.pnr01 == pnr01).order_by(invoices.c.id.desc())
    return (await conn.execute(query.limit(1))).first()


async def lines_of(conn: AsyncConnection, invoice_id: int) -> list[Any]:
    query = (
        select(invoice_lines.c.id, invoice_lines.c.body)
        .where(invoice_lines.c.invoice_id == invoice_id)
        .order_by(invoice_lines.c.position)
    )
    return list((await conn.execute(query)).all())


async def apply_deferred(conn: AsyncConnection, invoice_id: int, attempts: int) -> Row[Any] | None:
    # transmissionFailure 2: the temporary string stands because we could not reach myDATA.
    values = {"state": "deferred", "transmission_failure": 2, "attempts": attempts}
    return await _move(conn, invoice_id, ("pending",), values)


async def apply_rejected(
    conn: AsyncConnection,
    invoice_id: int,
    *,
    errors: list[dict[str, str]],
    request_xml: str | None,
    response_xml: str | None,
) -> Row[Any] | None:
    values: dict[str, Any] = {
        "state": "rejected",
        "error_code": "mydata_sync_004",
        "errors": errors,
        "response_xml": response_xml,
    }
    if request_xml:
        values["request_xml"] = request_xml
    return await _move(conn, invoice_id, OPEN_STATES, values)


async def _move(
    conn: AsyncConnection, invoice_id: int, from_states: tuple[str, ...], values: dict[str, Any]
) -> Row[Any] | None:
    """The invoice after the move, or None when it was no longer in ``from_states``."""
    stmt = (
        update(invoices)
        .where(invoices.c.id == invoice_id, invoices.c.state.in_(from_states))
        .values(**values, updated_at=func.now())
        .returning(*invoices.c)
    )
    return (await conn.execute(stmt)).first()
