"""The outcome event of a transmission (``invoice.transmitted|deferred|rejected``).

One event, two ways out: it is added to the sync outbox when a transmission ends (so it
reaches invoice-service's outcome queue), and the same envelope is the transmit RPC's answer, so
invoice-service applies the outcome once, whichever copy arrives first (its inbox keys on the
envelope's ``message_id``).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.events import (
    ErrorDetail,
    InvoiceDeferred,
    InvoiceRejected,
    InvoiceTransmitted,
    RecipientOptions,
    TransmissionOutcome,
    envelope_of,
)
from kit.outbox import add_to_outbox
from mydata.identifiers import temp_code
from mydata_sync.db.tables import outbox
from mydata_sync.transmissions.outcomes import Wire
from mydata_sync.transmissions.schemas import visible_state


def outcome_payload(row: Row[Any] | SimpleNamespace, wire: Wire) -> TransmissionOutcome:
    """The outcome a transmission row stands for; ``wire`` is its last exchange with myDATA."""
    common = {
        "tenant_id": row.tenant_id,
        "invoice_id": row.invoice_id,
        "uid": row.uid,
        "temporary_code": row.temporary_code,
        "temp_qr_code": temp_qr_code(row.invoice),
        **invoice_names(row.invoice),
    }
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


def invoice_names(invoice: dict[str, Any]) -> dict[str, Any]:
    """How the issuer names the invoice, whether the ERP said it was cut off from us, and to
    whom the invoice may be e-mailed."""

    def text(key: str) -> str | None:
        value = invoice.get(key)
        return str(value).strip() if value not in (None, "") else None

    return {
        "issuer_vat": text("is_vat"),
        "series": text("series"),
        "number": text("aa"),
        "erp_outage": str(invoice.get("transmission_failure", "")).strip() == "1",
        "recipient": RecipientOptions(
            counterpart_vat=text("cp_vat"),
            counterpart_country=text("cp_country"),
            einv00=einv00 if isinstance(einv00 := invoice.get("einv00"), dict) else None,
        ),
    }


def temp_qr_code(invoice: dict[str, Any]) -> str | None:
    """Seed 001's temporary-QR key of the stored ERP body; None when the body cannot say it."""
    try:
        issued = date.fromisoformat(str(invoice["issuedate"]))
        fields = (str(invoice["invtype"]), str(invoice["series"]), str(invoice["aa"]))
        return temp_code(
            str(invoice["is_vat"]), issued, int(invoice.get("is_branch") or 0), *fields
        )
    except (KeyError, ValueError, TypeError):
        return None


def outcome_event(row: Row[Any] | SimpleNamespace, wire: Wire) -> Envelope:
    """The event of a transmission row (or of the row a statement is about to write)."""
    return envelope_of(outcome_payload(row, wire), tenant_id=row.tenant_id)


async def announce(conn: AsyncConnection, event: Envelope) -> None:
    """Add the outcome event to the outbox, in the caller's transaction."""
    await add_to_outbox(conn, outbox, event)
