"""Connecting a ``Broker`` without holding up the service's start.

An HTTP service should come up (and ``/readyz`` say why it is not ready) while RabbitMQ is still
unreachable, e.g. when the broker restarts or starts after the services. ``BackgroundStart``
keeps trying (``kit.tasks.retry_until_done``) to connect and run the service's own set-up
(declarations, consumers, relays); a failed set-up closes the half-open connection and the
whole attempt is made again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from kit._messaging.broker import Broker
from kit._messaging.errors import MessagingError
from kit.tasks import cancel_and_wait, retry_until_done

log = logging.getLogger("kit.messaging")


class BackgroundStart:
    def __init__(
        self,
        broker: Broker,
        then: Callable[[Broker], Awaitable[None]],
        *,
        retry_s: float = 2.0,
    ) -> None:
        self.broker = broker
        self._then = then
        self._retry_s = retry_s
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        return self.connected.is_set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"broker-start:{self.broker.service}")

    async def run(self) -> None:
        """Connect and set up until that works (``start`` runs it in a task of its own)."""
        what = f"RabbitMQ connection of {self.broker.service}"
        await retry_until_done(what, self._attempt, max_delay_s=self._retry_s)
        self.connected.set()

    async def _attempt(self) -> None:
        try:
            await self.broker.start()
            await self._then(self.broker)
        except BaseException:
            await self.broker.close()  # the next attempt opens a fresh connection
            raise

    async def ping(self) -> None:
        """Readiness: connected, set up, and the broker answers."""
        if not self.ready:
            raise MessagingError("not connected to RabbitMQ yet")
        await self.broker.ping()

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        await self.broker.close()
