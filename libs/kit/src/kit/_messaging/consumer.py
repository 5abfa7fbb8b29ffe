"""One consumer: parse the envelope, run the handler, settle the message by its outcome.

Outcomes: success → ack; ``RetryableError`` → copy to the next retry tier, then ack;
``PermanentError``, an unparseable body or used-up tiers → copy to the DLQ, then ack; any other
exception → nack with requeue so that RabbitMQ counts the delivery and the quorum queue's
``x-delivery-limit`` dead-letters a message that keeps crashing its consumer. The copy is
published with confirms *before* the ack, so a crash in between duplicates, never loses.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aio_pika import DeliveryMode, Message
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue, AbstractRobustChannel
from pydantic import ValidationError

from contracts.envelope import Envelope
from kit._messaging.errors import PermanentError, RetryableError
from kit._messaging.topology import (
    ATTEMPTS_HEADER,
    DEAD_REASON_HEADER,
    DLX_EXCHANGE,
    ERROR_HEADER,
    ORIGINAL_QUEUE_HEADER,
    REQUEST_ID_HEADER,
    QueueTopology,
)
from kit.logs import request_id_var

log = logging.getLogger("kit.messaging")

Handler = Callable[[Envelope], Awaitable[None]]
PublishMessage = Callable[[str, str, Message], Awaitable[None]]

# Headers RabbitMQ writes when it dead-letters; copying them into a new publish would make
# RabbitMQ see a dead-letter cycle and, on 3.13+, they are reserved for the broker anyway.
_BROKER_HEADER_PREFIXES = ("x-death", "x-first-death", "x-last-death")
_MAX_ERROR_TEXT = 500


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the handler may want to know about the message it is handling."""

    queue: str
    message_id: str | None
    attempts: int  # failed attempts before this one, counted in our own header
    redelivered: bool  # True after a crash or requeue (the quorum queue counts these)
    headers: Mapping[str, Any]


_delivery_var: ContextVar[Delivery | None] = ContextVar("amqp_delivery", default=None)


def current_delivery() -> Delivery:
    """The delivery being handled; only valid inside a handler."""
    delivery = _delivery_var.get()
    if delivery is None:
        raise RuntimeError("current_delivery() called outside a message handler")
    return delivery


@contextlib.contextmanager
def _delivery_scope(delivery: Delivery) -> Iterator[None]:
    token = _delivery_var.set(delivery)
    try:
        yield
    finally:
        _delivery_var.reset(token)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) and value else None


def attempts_of(message: AbstractIncomingMessage) -> int:
    value = message.headers.get(ATTEMPTS_HEADER, 0)
    return value if isinstance(value, int) and value >= 0 else 0


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_TEXT]


def copy_message(message: AbstractIncomingMessage, **extra_headers: Any) -> Message:
    """The same message for a new publish, with RabbitMQ's own headers left out."""
    headers = {
        k: v for k, v in message.headers.items() if not k.startswith(_BROKER_HEADER_PREFIXES)
    }
    headers.update(extra_headers)
    return Message(
        message.body,
        headers=headers,
        content_type=message.content_type,
        delivery_mode=DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        timestamp=message.timestamp,
    )


class Subscription:
    """A queue consumer on its own channel (so its prefetch does not limit publishing)."""

    def __init__(
        self,
        channel: AbstractRobustChannel,
        queue: AbstractQueue,
        topology: QueueTopology,
        handler: Handler,
        publish: PublishMessage,
    ) -> None:
        self._channel = channel
        self._queue = queue
        self._topology = topology
        self._handler = handler
        self._publish = publish
        self._tag: str | None = None

    @property
    def queue(self) -> str:
        return self._topology.name

    async def start(self) -> None:
        self._tag = await self._queue.consume(self._on_message)

    async def cancel(self) -> None:
        """Stop consuming; unacknowledged messages go back to the queue."""
        with contextlib.suppress(Exception):  # the channel may already be gone with the broker
            if self._tag is not None:
                await self._queue.cancel(self._tag)
        if not self._channel.is_closed:
            await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        token = request_id_var.set(_text(message.headers.get(REQUEST_ID_HEADER)))
        try:
            await self._settle(message)
        except Exception:
            # Settling needs the broker; if it is gone, RabbitMQ redelivers anyway.
            log.exception("could not settle message", extra={"queue": self.queue})
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
        finally:
            request_id_var.reset(token)

    async def _settle(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            await self._dead_letter(message, "unparseable", exc)
            return
        if request_id_var.get() is None:
            request_id_var.set(envelope.request_id)
        try:
            with _delivery_scope(self._delivery(message)):
                await self._handler(envelope)
        except RetryableError as exc:
            await self._retry(message, exc)
        except PermanentError as exc:
            await self._dead_letter(message, "permanent", exc)
        except Exception:
            log.exception("handler crashed; message requeued", extra=self._log_extra(message))
            await message.nack(requeue=True)
        else:
            await message.ack()

    def _delivery(self, message: AbstractIncomingMessage) -> Delivery:
        return Delivery(
            queue=self.queue,
            message_id=message.message_id,
            attempts=attempts_of(message),
            redelivered=bool(message.redelivered),
            headers=dict(message.headers),
        )

    async def _retry(self, message: AbstractIncomingMessage, exc: RetryableError) -> None:
        attempt = attempts_of(message) + 1
        tier = self._topology.retry_queue_for(attempt)
        if tier is None:
            await self._dead_letter(message, "retries exhausted", exc, attempts=attempt)
            return
        log.info("retry scheduled", extra={**self._log_extra(message), "tier": tier})
        copy = copy_message(message, **{ATTEMPTS_HEADER: attempt, ERROR_HEADER: describe(exc)})
        await self._publish("", tier, copy)
        await message.ack()

    async def _dead_letter(
        self,
        message: AbstractIncomingMessage,
        reason: str,
        exc: BaseException,
        attempts: int | None = None,
    ) -> None:
        log.warning("dead-lettered: %s", reason, extra=self._log_extra(message))
        headers = {
            DEAD_REASON_HEADER: reason,
            ERROR_HEADER: describe(exc),
            ORIGINAL_QUEUE_HEADER: self.queue,
            ATTEMPTS_HEADER: attempts if attempts is not None else attempts_of(message),
        }
        await self._publish(DLX_EXCHANGE, self._topology.dlq, copy_message(message, **headers))
        await message.ack()

    def _log_extra(self, message: AbstractIncomingMessage) -> dict[str, Any]:
        return {"queue": self.queue, "message_id": message.message_id}
