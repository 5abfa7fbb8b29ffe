"""Messaging over RabbitMQ: one robust connection, confirmed publishing, quorum queues,
retry tiers and dead-letter queues (DESIGN.md §4).

Typical use in a service's lifespan::

    broker = Broker(settings.amqp_url, service="invoice-service")
    await broker.start()
    await broker.declare_queue("invoice-service.mydata", ["invoice.transmitted"])
    await broker.consume("invoice-service.mydata", handle)
    ...
    await broker.close()

Topology: events go to the durable topic exchange ``einv.events`` with the envelope's ``type``
as routing key. ``declare_queue(Q, ...)`` declares the quorum queue ``Q`` (with
``x-delivery-limit``; dead-letters to ``einv.dlx`` as ``Q.dlq``), the quorum queue ``Q.dlq``
bound to ``einv.dlx``, and one retry queue ``Q.retry.<delay>s`` per delay whose TTL sends
messages back to ``Q``. Attempts are counted in the ``x-attempts`` header; the request id
travels in ``x-request-id`` and is put back into ``kit.logs.request_id_var`` while handling.

Exceptions:

- ``MessagingError`` — base of the errors this module raises itself (misuse, not connected).
  - ``PublishFailed`` — no positive confirm: nacked, unroutable, timed out or connection lost.
    The message may still have arrived; retry and let consumers dedupe (``kit.inbox``).
- ``HandlerError`` — base of what a handler raises to choose the message's fate.
  - ``RetryableError`` — temporary: next retry tier, then the DLQ when tiers are used up.
  - ``PermanentError`` — will never work: straight to the DLQ.
- Any other exception from a handler counts as a crash: the message is requeued, and the queue's
  delivery limit dead-letters it if it keeps crashing (the same happens if the process dies).
"""

from kit._messaging.background import BackgroundStart
from kit._messaging.broker import Broker, HeaderValue, envelope_bytes
from kit._messaging.consumer import Delivery, Handler, Subscription, current_delivery
from kit._messaging.errors import (
    HandlerError,
    MessagingError,
    PermanentError,
    PublishFailed,
    RetryableError,
)
from kit._messaging.topology import (
    ATTEMPTS_HEADER,
    DEAD_REASON_HEADER,
    DLX_EXCHANGE,
    ERROR_HEADER,
    EVENTS_EXCHANGE,
    REQUEST_ID_HEADER,
    UNROUTED_QUEUE,
    QueueTopology,
    dlq_name,
    retry_queue_name,
)

__all__ = [
    "ATTEMPTS_HEADER",
    "DEAD_REASON_HEADER",
    "DLX_EXCHANGE",
    "ERROR_HEADER",
    "EVENTS_EXCHANGE",
    "REQUEST_ID_HEADER",
    "UNROUTED_QUEUE",
    "BackgroundStart",
    "Broker",
    "Delivery",
    "Handler",
    "HandlerError",
    "HeaderValue",
    "MessagingError",
    "PermanentError",
    "PublishFailed",
    "QueueTopology",
    "RetryableError",
    "Subscription",
    "current_delivery",
    "dlq_name",
    "envelope_bytes",
    "retry_queue_name",
]
