"""Queue ``webhooks.events`` (``contracts.queues.WEBHOOK_EVENTS``): the invoice outcomes and the
recipient e-mails, as every other consumer sees them.

Each event is recorded as one pending delivery per active endpoint of its tenant that chose its
type — once per (endpoint, event id): a redelivered or re-published event finds its rows and
adds nothing — and acknowledged once committed: from then on the webhooks database owns it (the
first attempt starts at once; retries, the sweep). A database that cannot be reached sends the
event to the retry tiers; an event that can never be recorded goes to the DLQ.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Envelope
from contracts.queues import WEBHOOK_EVENTS
from kit.db import is_database_unavailable, single_statements, transaction
from kit.messaging import PermanentError, RetryableError
from webhooks.deliveries.sending import Sender
from webhooks.deliveries.service import DeliveryService
from webhooks.events import UnknownEvent
from webhooks.metrics import RECORDED

log = logging.getLogger("webhooks.consumers")

BINDINGS = WEBHOOK_EVENTS.bindings


class EventConsumer:
    def __init__(self, engine: AsyncEngine, service: DeliveryService, sender: Sender) -> None:
        self.engine = engine
        self.service = service
        self.sender = sender

    async def __call__(self, envelope: Envelope) -> None:
        if envelope.type not in BINDINGS:
            raise PermanentError(f"unexpected message type {envelope.type!r}")
        new = await self._record(envelope)
        RECORDED.labels("recorded" if new else "ignored_or_duplicate").inc()
        self.sender.dispatch(new)

    async def _record(self, envelope: Envelope) -> list[int]:
        try:
            # Most tenants have no endpoint: one autocommit look-up instead of a transaction.
            async with single_statements(self.engine) as conn:
                if not await self.service.has_targets(conn, envelope):
                    return []
            async with transaction(self.engine) as conn:
                return await self.service.record(conn, envelope)
        except UnknownEvent as exc:
            raise PermanentError(str(exc)) from exc
        except Exception as exc:
            if is_database_unavailable(exc):
                raise RetryableError(f"webhooks database unavailable: {exc}") from exc
            raise
