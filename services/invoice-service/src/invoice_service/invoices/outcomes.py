"""Applying mydata-sync's transmission outcomes to the tenant database — one way in.

An outcome reaches invoice-service twice: as the transmit RPC's answer and as the same event on
the outcome queue (same ``message_id``). Both go through ``apply_outcome_once``, which records the
message id in the inbox in the caller's transaction, so whichever copy comes second does nothing.
State only moves forward (``repository``), so an older outcome never undoes a newer one.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.events import (
    InvoiceDeferred,
    InvoiceRejected,
    InvoiceTransmitted,
    TransmissionOutcome,
    outcome_of,
)
from invoice_service.invoices import repository as repo
from kit.inbox import claim
from tenant_schema.tables import inbox

# The inbox's consumer name for outcomes, whichever way they arrive.
OUTCOMES_CONSUMER = "invoice-service.outcomes"


class AppliedHere:
    """Message ids of outcomes this process applied from the transmit RPC's answer.

    On the synchronous path the same outcome then arrives as an event; its inbox claim would
    only find the id and do nothing, at the cost of a tenant-database transaction per invoice.
    Remembering the ids skips that transaction. Only ids whose transaction committed are added,
    so skipping is exactly what the inbox would have decided; an id forgotten (bounded memory,
    a restart, another process) still meets the inbox.
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def add(self, message_id: str) -> None:
        self._ids[message_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)

    def pop(self, message_id: str) -> bool:
        """True once for an id added here (the event's only copy after the answer)."""
        if message_id not in self._ids:
            return False
        del self._ids[message_id]
        return True


async def apply_outcome_once(conn: AsyncConnection, event: Envelope) -> Row[Any] | None:
    """The invoice after applying ``event``; None when this message was applied before or the
    invoice's state had already moved past it."""
    if not await claim(conn, inbox, OUTCOMES_CONSUMER, event.message_id):
        return None
    return await apply_outcome(conn, outcome_of(event))


async def apply_outcome(conn: AsyncConnection, outcome: TransmissionOutcome) -> Row[Any] | None:
    if isinstance(outcome, InvoiceTransmitted):
        return await repo.apply_transmitted(
            conn,
            outcome.invoice_id,
            mark=outcome.mark,
            authentication_code=outcome.authentication_code,
            qr_url=outcome.qr_url,
            request_xml=outcome.request_xml,
            response_xml=outcome.response_xml,
        )
    if isinstance(outcome, InvoiceRejected):
        return await repo.apply_rejected(
            conn,
            outcome.invoice_id,
            errors=[e.model_dump() for e in outcome.errors],
            request_xml=outcome.request_xml,
            response_xml=outcome.response_xml,
        )
    return await repo.apply_deferred(conn, outcome.invoice_id, outcome.attempts)


async def settle_transmitted_once(
    conn: AsyncConnection, event: Envelope, command_id: str
) -> Row[Any] | None:
    """``apply_outcome_once`` of an ``invoice.transmitted`` answer plus the withdrawal of its
    submission command, as ONE statement (the issuance hot path, ADR 0013); None as there."""
    outcome = outcome_of(event)
    assert isinstance(outcome, InvoiceTransmitted)
    values = {
        "invoice_id": outcome.invoice_id,
        "mark": outcome.mark,
        "authentication_code": outcome.authentication_code,
        "qr_url": outcome.qr_url,
        "request_xml": outcome.request_xml,
        "response_xml": outcome.response_xml,
    }
    return await repo.settle_transmitted(
        conn, OUTCOMES_CONSUMER, event.message_id, command_id, values
    )


def no_answer(tenant_id: str, invoice_id: int, uid: str) -> InvoiceDeferred:
    """What a transmit RPC without a usable answer means: deferred; the queued command (and
    mydata-sync's own retries) take it from here."""
    return InvoiceDeferred(
        tenant_id=tenant_id,
        invoice_id=invoice_id,
        uid=uid,
        reason="no answer from mydata-sync in time",
        attempts=0,
        next_attempt_at=None,
    )
