"""Applying mydata-sync's transmission outcomes to the tenant database — one way in.

An outcome reaches invoice-service twice: as the transmit RPC's answer and as the same event on
the outcome queue (same ``message_id``). Both go through ``apply_outcome_once``, which records the
message id in the inbox in the same unit of work as the change (one statement for a transmitted
outcome, the caller's transaction otherwise), so whichever copy comes second does nothing.
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
    outcome_of,
)
from invoice_service.invoices import repository as repo
from kit.inbox import claim
from kit.outbox import withdraw
from tenant_schema.tables import inbox, outbox

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


async def apply_outcome_once(
    conn: AsyncConnection, event: Envelope, *, answered: str | None = None
) -> Row[Any] | None:
    """The invoice after applying ``event``; None when this message was applied before or the
    invoice's state had already moved past it.

    ``answered``: the outbox id of the submission command this event answers (the RPC path),
    withdrawn in the same unit of work because mydata-sync owns the invoice now. A transmitted
    outcome, the common one, is applied in ONE statement (inbox claim, move, real string,
    withdrawal; ADR 0013), so it may run in autocommit (``kit.db.single_statements``).
    """
    outcome = outcome_of(event)
    if isinstance(outcome, InvoiceTransmitted):
        values = {
            "invoice_id": outcome.invoice_id,
            "mark": outcome.mark,
            "authentication_code": outcome.authentication_code,
            "qr_url": outcome.qr_url,
            "request_xml": outcome.request_xml,
            "response_xml": outcome.response_xml,
        }
        return await repo.apply_transmitted_once(
            conn, OUTCOMES_CONSUMER, event.message_id, answered, values
        )
    applied = None
    if await claim(conn, inbox, OUTCOMES_CONSUMER, event.message_id):
        applied = await apply_outcome(conn, outcome)
    if answered is not None:
        await withdraw(conn, outbox, answered)
    return applied


async def apply_outcome(
    conn: AsyncConnection, outcome: InvoiceRejected | InvoiceDeferred
) -> Row[Any] | None:
    """A rejection or a deferral moves the invoice (states only move forward); the claim, when
    there is a message, is ``apply_outcome_once``'s."""
    if isinstance(outcome, InvoiceRejected):
        return await repo.apply_rejected(
            conn,
            outcome.invoice_id,
            errors=[e.model_dump() for e in outcome.errors],
            request_xml=outcome.request_xml,
            response_xml=outcome.response_xml,
        )
    return await repo.apply_deferred(conn, outcome.invoice_id, outcome.attempts)


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
