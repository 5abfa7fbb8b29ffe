"""The outcome event of a transmission (``invoice.transmitted|deferred|rejected``).

One event, two ways out: it is added to the sync outbox when a transmission settles (so it
reaches invoice-service's outcome queue), and the same envelope is the transmit RPC's answer, so
invoice-service applies the outcome once, whichever copy arrives first (its inbox keys on the
envelope's ``message_id``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.events import (
    ErrorDetail,
    InvoiceDeferred,
    InvoiceRejected,
    InvoiceTransmitted,
    TransmissionOutcome,
    envelope_of,
)
from kit.outbox import add_to_outbox
from mydata_sync.db.tables import outbox
from mydata_sync.transmissions.outcomes import Wire
from mydata_sync.transmissions.schemas import visible_state


def outcome_payload(row: Row[Any], wire: Wire) -> TransmissionOutcome:
    """The outcome a transmission row stands for; ``wire`` is its last exchange with myDATA."""
    common = {"tenant_id": row.tenant_id, "invoice_id": row.invoice_id, "uid": row.uid}
    xml = {"request_xml": wire.request_xml, "response_xml": wire.response_xml}
    state = visible_state(row.state)
    if state == "transmitted":
        return InvoiceTransmitted(
            **common,
            mark=row.mark,
            authentication_code=row.authentication_code,
            qr_url=row.qr_url,
            **xml,
        )
    if state == "rejected":
        errors = [ErrorDetail(**e) for e in row.errors or []]
        return InvoiceRejected(**common, errors=errors, **xml)
    return InvoiceDeferred(
        **common,
        reason=row.last_error or ("in flight" if row.state == "in_flight" else row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
    )


def outcome_event(row: Row[Any], wire: Wire) -> Envelope:
    return envelope_of(outcome_payload(row, wire), tenant_id=row.tenant_id)


async def announce(conn: AsyncConnection, event: Envelope) -> None:
    """Add the outcome event to the outbox, in the caller's transaction."""
    await add_to_outbox(conn, outbox, event)
