"""Queues that more than one service declares, with identical arguments.

RabbitMQ refuses a re-declaration with other arguments, and a producer that declares the queue it
feeds never loses a command to "no queue bound yet" (the consumer may start later).
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.events import (
    OUTCOME_TYPES,
    InvoiceSubmitted,
    TransmissionRetryRequested,
)


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
