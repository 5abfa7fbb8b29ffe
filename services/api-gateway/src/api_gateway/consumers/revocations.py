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

import logging
from collections.abc import Callable

from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from contracts import Envelope, TokenRevoked
from kit.messaging import EVENTS_EXCHANGE, BackgroundStart, Broker

log = logging.getLogger("api_gateway.revocations")


class RevocationListener:
    def __init__(self, amqp_url: str, on_revoked: Callable[[str], None]) -> None:
        self._on_revoked = on_revoked
        self._start = BackgroundStart(Broker(amqp_url, service="api-gateway"), self._listen)

    def start(self) -> None:
        """Connect in the background: the gateway serves (with TTL-bounded staleness) even
        while the broker is unreachable."""
        self._start.start()

    async def close(self) -> None:
        await self._start.stop()

    async def check(self) -> None:
        """Readiness: connected and consuming."""
        await self._start.ping()

    async def _listen(self, broker: Broker) -> None:
        # Robust: after a broker restart it reconnects and re-declares queue, binding, consumer.
        queue = await broker.channel.declare_queue("", exclusive=True, auto_delete=True)
        await queue.bind(EVENTS_EXCHANGE, routing_key=TokenRevoked.TYPE)
        await queue.consume(self._handle, no_ack=True)

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
            event = TokenRevoked.model_validate(envelope.payload)
        except ValidationError as exc:
            log.warning("unreadable token.revoked message", extra={"error": str(exc)[:300]})
            return
        self._on_revoked(event.jti)
        log.info("token revoked", extra={"jti": event.jti, "customer_id": event.customer_id})
