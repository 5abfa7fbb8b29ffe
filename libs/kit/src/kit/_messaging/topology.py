"""Exchange and queue names and arguments: the broker layout every service shares.

Quorum queues are used throughout because they replicate, survive broker restarts and count
deliveries themselves (``x-delivery-limit``), which is what stops a message that crashes its
consumer from being redelivered forever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pamqp.common import Arguments

from kit.logs import REQUEST_ID_HEADER as _HTTP_REQUEST_ID_HEADER

EVENTS_EXCHANGE = "einv.events"
DLX_EXCHANGE = "einv.dlx"
# Alternate exchange of einv.events: catches events no queue is bound for.
UNROUTED_EXCHANGE = "einv.unrouted"
UNROUTED_QUEUE = "einv.unrouted"
UNROUTED_RETENTION_MS = 7 * 24 * 3600 * 1000
UNROUTED_MAX_LENGTH = 100_000

# Our own headers. AMQP header names are case-sensitive, so the HTTP name is lower-cased once.
REQUEST_ID_HEADER = _HTTP_REQUEST_ID_HEADER.lower()
ATTEMPTS_HEADER = "x-attempts"
ERROR_HEADER = "x-last-error"
DEAD_REASON_HEADER = "x-dead-reason"
ORIGINAL_QUEUE_HEADER = "x-original-queue"

DEFAULT_RETRY_DELAYS: tuple[int, ...] = (5, 30, 300)
DEFAULT_DELIVERY_LIMIT = 5


def dlq_name(queue: str) -> str:
    return f"{queue}.dlq"


def retry_queue_name(queue: str, delay_s: int) -> str:
    return f"{queue}.retry.{delay_s}s"


@dataclass(frozen=True, slots=True)
class QueueTopology:
    """A consumer queue with its dead-letter queue and retry tiers, as declared."""

    name: str
    bindings: tuple[str, ...] = ()
    retry_delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT
    retry_queues: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if any(d <= 0 for d in self.retry_delays) or len(set(self.retry_delays)) != len(
            self.retry_delays
        ):
            # Equal delays would share one queue and RabbitMQ drops dead-letter cycles.
            raise ValueError(f"retry delays must be distinct and positive: {self.retry_delays}")
        if self.delivery_limit < 1:
            raise ValueError("delivery_limit must be at least 1")
        tiers = tuple(retry_queue_name(self.name, d) for d in self.retry_delays)
        object.__setattr__(self, "retry_queues", tiers)

    @property
    def dlq(self) -> str:
        return dlq_name(self.name)

    def retry_queue_for(self, attempt: int) -> str | None:
        """The tier for the ``attempt``-th failure (1-based), or None once they are used up."""
        return self.retry_queues[attempt - 1] if 1 <= attempt <= len(self.retry_queues) else None


def main_queue_arguments(topology: QueueTopology) -> Arguments:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": topology.delivery_limit,
        "x-dead-letter-exchange": DLX_EXCHANGE,
        "x-dead-letter-routing-key": topology.dlq,
        # The default (at-most-once) would drop a poison message if the DLQ did not confirm;
        # at-least-once keeps it until it does, and requires reject-publish overflow.
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def unrouted_queue_arguments() -> Arguments:
    # Bounded: unrouted events are informational (no subscriber had state to update).
    return {
        "x-queue-type": "quorum",
        "x-message-ttl": UNROUTED_RETENTION_MS,
        "x-max-length": UNROUTED_MAX_LENGTH,
        "x-overflow": "drop-head",
    }


def dlq_arguments() -> Arguments:
    return {"x-queue-type": "quorum"}


def retry_queue_arguments(main_queue: str, delay_s: int) -> Arguments:
    # Expired messages go back to the main queue through the default exchange, whose routing
    # key is the queue name: no extra exchange or binding to keep in sync.
    return {
        "x-queue-type": "quorum",
        "x-message-ttl": delay_s * 1000,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": main_queue,
    }


def make_topology(
    name: str,
    bindings: Sequence[str],
    retry_delays: Sequence[int],
    delivery_limit: int,
) -> QueueTopology:
    return QueueTopology(name, tuple(bindings), tuple(retry_delays), delivery_limit)
