"""Outcome events (``invoice.transmitted|deferred|rejected``) written to the sync outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.events import ErrorDetail, InvoiceDeferred, InvoiceRejected, InvoiceTransmitted
from kit.outbox import add_to_outbox
from mydata_sync.db.tables import outbox
from mydata_sync.transmissions.outcomes import Outcome


def _payload(
    row: Row[Any], outcome: Outcome
) -> InvoiceTransmitted | InvoiceDeferred | InvoiceRejected:
    common = {"tenant_id": row.tenant_id, "invoice_id": row.invoice_id, "uid": row.uid}
    xml = {"request_xml": outcome.wire.request_xml, "response_xml": outcome.wire.response_xml}
    if row.state == "transmitted":
        return InvoiceTransmitted(
            **common,
            mark=row.mark,
            authentication_code=row.authentication_code,
            qr_url=row.qr_url,
            **xml,
        )
    if row.state == "rejected":
        errors = [ErrorDetail(code=e.code, message=e.message) for e in outcome.errors]
        return InvoiceRejected(**common, errors=errors, **xml)
    return InvoiceDeferred(
        **common,
        reason=row.last_error or outcome.kind,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
    )


async def announce(conn: AsyncConnection, row: Row[Any], outcome: Outcome) -> None:
    """Add the event for the settled ``row`` to the outbox, in the caller's transaction."""
    payload = _payload(row, outcome)
    envelope = Envelope(
        type=f"invoice.{row.state}",
        tenant_id=row.tenant_id,
        payload=payload.model_dump(mode="json"),
    )
    await add_to_outbox(conn, outbox, envelope)
