"""A test consumer that delivers every event and command a second time (F5).

It binds its own queue to the events exchange for the issuance messages, and republishes each
message it sees (same body, same ``message_id``, same routing key) after a random short delay, so
the services' consumers get it twice, sometimes after a later state change. Copies carry a header
that stops them from being copied again.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection

from contracts.queues import OUTCOMES, TRANSMIT
from kit.messaging import EVENTS_EXCHANGE

COPY_HEADER = "x-fault-copy"
QUEUE = "fault.duplicator"


@dataclass(slots=True)
class Duplicator:
    amqp_url: str
    rng: random.Random
    max_delay_s: float = 1.0
    copied: int = 0
    _connection: AbstractRobustConnection | None = None
    _exchange: AbstractExchange | None = None
    _pending: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await channel.get_exchange(EVENTS_EXCHANGE, ensure=False)
        queue = await channel.declare_queue(QUEUE, exclusive=True, auto_delete=True)
        for key in (*TRANSMIT.bindings, *OUTCOMES.bindings):
            await queue.bind(self._exchange, routing_key=key)
        await queue.consume(self._copy)

    async def stop(self) -> None:
        # Copies still waiting for their delay go out first: each one must be delivered.
        await asyncio.gather(*self._pending, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()

    async def _copy(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            if (message.headers or {}).get(COPY_HEADER) or self._exchange is None:
                return
            task = asyncio.create_task(self._republish(self._exchange, message))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def _republish(
        self, exchange: AbstractExchange, message: AbstractIncomingMessage
    ) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.max_delay_s))
        copy = aio_pika.Message(
            message.body,
            headers={**(message.headers or {}), COPY_HEADER: 1},
            message_id=message.message_id,
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await exchange.publish(copy, routing_key=message.routing_key or "")
        self.copied += 1
