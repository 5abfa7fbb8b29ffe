"""Queue ``notifier.invoice-emails`` (``contracts.queues.INVOICE_EMAILS``): ``invoice.transmitted``.

Each event is recorded once per (tenant, uid) — the unique key is the de-duplication key: a
redelivered or re-published event, or a second outcome of the same invoice, finds the row and
stops — and acknowledged: from then on the notify database owns it (the resolution is retried by
the sweep until it is done), not the queue. A database that cannot be reached sends the event to
the retry tiers; an event that is not one goes to the DLQ.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Envelope
from contracts.events import InvoiceTransmitted
from contracts.notifications import SkipReason
from contracts.queues import INVOICE_EMAILS
from kit.db import is_database_unavailable, transaction
from kit.messaging import PermanentError, RetryableError
from notifier.metrics import RESOLUTIONS
from notifier.recipients.resolving import Resolver
from notifier.recipients.service import InvoiceEmails, options_of

log = logging.getLogger("notifier.recipients")
BINDINGS = INVOICE_EMAILS.bindings


class TransmittedConsumer:
    def __init__(self, engine: AsyncEngine, emails: InvoiceEmails, resolver: Resolver) -> None:
        self.engine = engine
        self.emails = emails
        self.resolver = resolver

    async def __call__(self, envelope: Envelope) -> None:
        event = _event(envelope)
        # Most invoices go to nobody (no address declared, no alternative): recorded as
        # skipped at once, one statement instead of a resolution (ADR 0013).
        skipped = self.resolver.skip_at_once(options_of(event))
        pk = await self._record(event, skipped)
        if pk is None:
            log.info("invoice already recorded", extra={"uid": event.uid})
            return
        if skipped is not None:
            RESOLUTIONS.labels("skipped").inc()
            return
        try:
            await self.resolver.resolve(pk)
        except Exception:  # recorded: the sweep resolves it if this first try could not
            log.exception("first resolution failed; left to the sweep", extra={"pk": pk})

    async def _record(self, event: InvoiceTransmitted, skipped: SkipReason | None) -> int | None:
        try:
            async with transaction(self.engine) as conn:
                return await self.emails.record(conn, event, skipped)
        except Exception as exc:
            if is_database_unavailable(exc):
                raise RetryableError(f"notify database unavailable: {exc}") from exc
            raise


def _event(envelope: Envelope) -> InvoiceTransmitted:
    if envelope.type != InvoiceTransmitted.TYPE:
        raise PermanentError(f"unexpected message type {envelope.type!r}")
    try:
        return InvoiceTransmitted.model_validate(envelope.payload)
    except ValidationError as exc:
        raise PermanentError(f"invalid invoice.transmitted: {exc}") from exc
