"""Connecting a ``Broker`` without holding up the service's start.

An HTTP service should come up (and ``/readyz`` say why it is not ready) while RabbitMQ is still
unreachable, e.g. when the broker restarts or starts after the services. ``BackgroundStart``
keeps trying, then runs the service's own set-up (declarations, consumers, relays) once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from kit._messaging.broker import Broker
from kit._messaging.errors import MessagingError

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
        self.ready = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"broker-start:{self.broker.service}")

    async def _run(self) -> None:
        while True:
            try:
                await self.broker.start()
                break
            except Exception as exc:  # unreachable broker: keep trying, readiness tells
                log.warning("RabbitMQ not reachable yet: %s", exc)
                await asyncio.sleep(self._retry_s)
        await self._then(self.broker)
        self.ready = True

    async def ping(self) -> None:
        """Readiness: connected, set up, and the broker answers."""
        if not self.ready:
            raise MessagingError("not connected to RabbitMQ yet")
        await self.broker.ping()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.broker.close()
