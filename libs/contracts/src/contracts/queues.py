"""Queues that more than one service declares, with identical arguments.

RabbitMQ refuses a re-declaration with other arguments, and a producer that declares the queue it
feeds never loses a command to "no queue bound yet" (the consumer may start later).
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.events import (
    OUTCOME_TYPES,
    InvoiceSubmitted,
    InvoiceTransmitted,
    NotificationRequested,
    TransmissionRetryRequested,
)
from contracts.webhooks import SUBSCRIBABLE_EVENTS


@dataclass(frozen=True, slots=True)
class QueueSpec:
    name: str
    bindings: tuple[str, ...]
    retry_delays: tuple[int, ...]
    delivery_limit: int = 5


# mydata-sync's work queue: new submissions (from invoice-service's outbox) and retries.
TRANSMIT = QueueSpec(
    name="mydata-sync.transmit",
    bindings=(InvoiceSubmitted.TYPE, TransmissionRetryRequested.TYPE),
    retry_delays=(5, 30, 120, 300),
)

# invoice-service applies mydata-sync's outcomes to the tenant databases. An outcome waits in the
# tiers while a tenant database is unreachable; they reach past an hour so that a database outage
# of that length still ends with every invoice's real state applied, not in the DLQ.
OUTCOMES = QueueSpec(
    name="invoice-service.outcomes",
    bindings=OUTCOME_TYPES,
    retry_delays=(5, 30, 300, 1800, 3600),
)

# tenant-admin's directory of public strings (contracts.portal.PublicString), fed by the same
# outcome events: each consumer has its own queue, so both see every outcome.
PUBLIC_STRINGS = QueueSpec(
    name="tenant-admin.public-strings",
    bindings=OUTCOME_TYPES,
    retry_delays=(5, 30, 300, 1800),
)

# The notifier's command queue (SPEC NOTE-1): producers (tenant-admin's outbox relay) declare it
# too, so a command published before the notifier first started waits here instead of being
# unrouted. The notifier de-duplicates on ``notification_id``; the tiers only cover its database
# being unreachable when a command arrives.
NOTIFICATIONS = QueueSpec(
    name="notifier.requests",
    bindings=(NotificationRequested.TYPE,),
    retry_delays=(5, 30, 300, 1800),
)

# The webhooks service's copy of every event a customer can subscribe an endpoint to. It records
# one delivery per subscribed endpoint (unique per endpoint and event id) and acknowledges; the
# tiers only cover its database being unreachable when an event arrives.
WEBHOOK_EVENTS = QueueSpec(
    name="webhooks.events",
    bindings=SUBSCRIBABLE_EVENTS,
    retry_delays=(5, 30, 300, 1800),
)

# The notifier's copy of ``invoice.transmitted`` (SPEC API-10): each transmitted invoice, also
# after a deferral, is e-mailed to its recipient. Only the notifier declares it, like
# PUBLIC_STRINGS: it must have started once before the first invoice is transmitted. Each event
# is recorded once per (tenant, uid) and acknowledged; the tiers only cover the notify database
# being unreachable when it arrives.
INVOICE_EMAILS = QueueSpec(
    name="notifier.invoice-emails",
    bindings=(InvoiceTransmitted.TYPE,),
    retry_delays=(5, 30, 300, 1800),
)
