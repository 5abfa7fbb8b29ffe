"""``token.revoked`` events evict the revoked token from this process's cache at once.

Each gateway process binds its own server-named, exclusive queue: every process must hear every
revocation (a shared work queue would tell only one of them), and the queue disappears with the
process. A revocation published while a process was disconnected is missed, which is why cache
entries also expire after ``token_cache_ttl_s``. Messages are not acknowledged one by one
(``no_ack``): losing one in a crash loses the cache it would have cleared, too.

The connection and the shared exchanges come from ``kit.messaging.Broker`` (which owns their
declaration and arguments); the per-process queue is declared on its channel directly, because
the Broker's own queues are durable work queues with retry tiers, not per-process fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from contracts import Envelope, TokenRevoked
from kit.messaging import EVENTS_EXCHANGE, Broker

log = logging.getLogger("api_gateway.revocations")

TOKEN_REVOKED = "token.revoked"
_RETRY_CONNECT_S = (0.5, 1, 2, 5, 10)


class RevocationListener:
    def __init__(self, amqp_url: str, on_revoked: Callable[[str], None]) -> None:
        self._broker = Broker(amqp_url, service="api-gateway")
        self._on_revoked = on_revoked
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def start(self) -> None:
        """Connect in the background: the gateway serves (with TTL-bounded staleness) even
        while the broker is unreachable."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._broker.close()

    async def check(self) -> None:
        """Readiness: connected and consuming."""
        if not self.ready.is_set():
            raise ConnectionError("not listening for token.revoked yet")
        await self._broker.ping()

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                await self._listen()
                return
            except (OSError, aio_pika.exceptions.AMQPError) as exc:
                await self._broker.close()  # a half-open attempt must not leak its connection
                delay = _RETRY_CONNECT_S[min(attempt, len(_RETRY_CONNECT_S) - 1)]
                log.warning("broker unreachable, retrying", extra={"error": str(exc)})
                attempt += 1
                await asyncio.sleep(delay)

    async def _listen(self) -> None:
        # Robust: after a broker restart it reconnects and re-declares queue, binding, consumer.
        await self._broker.start()
        channel = self._broker.channel
        queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
        await queue.bind(EVENTS_EXCHANGE, routing_key=TOKEN_REVOKED)
        await queue.consume(self._handle, no_ack=True)
        self.ready.set()

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
            event = TokenRevoked.model_validate(envelope.payload)
        except ValidationError as exc:
            log.warning("unreadable token.revoked message", extra={"error": str(exc)[:300]})
            return
        self._on_revoked(event.jti)
        log.info("token revoked", extra={"jti": event.jti, "customer_id": event.customer_id})
