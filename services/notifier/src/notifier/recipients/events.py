"""``invoice.recipient_emailed``: added to the notify outbox in the transaction that records an
invoice e-mail as sent, so the event exists if and only if that outcome was committed (the
relay publishes it at least once; consumers such as webhooks de-duplicate on its message id or
its ``notification_id``)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import InvoiceRecipientEmailed, envelope_of
from kit.outbox import add_to_outbox
from notifier.db.tables import outbox
from notifier.recipients import repository as repo
from notifier.recipients.resolving import TEMPLATE

log = logging.getLogger("notifier.recipients")


async def announce_sent(conn: AsyncConnection, message: Row[Any]) -> None:
    """``messages.sending``'s hook for every message that became sent or delivered."""
    if message.template != TEMPLATE or message.tenant_id is None:
        return
    invoice = await repo.by_invoice(conn, message.tenant_id, message.invoice_uid)
    if invoice is None:  # a message recorded without its invoice row: cannot happen
        log.error("invoice e-mail without its invoice", extra={"pk": message.id})
        return
    event = InvoiceRecipientEmailed(
        tenant_id=message.tenant_id, invoice_id=invoice.invoice_id, uid=message.invoice_uid,
        to=message.recipient, sent_at=message.sent_at, notification_id=message.notification_id,
    )  # fmt: skip
    await add_to_outbox(conn, outbox, envelope_of(event, tenant_id=message.tenant_id))
