"""The service's RabbitMQ side, started in the background so that the HTTP side comes up (and
``/readyz`` can say why it is not ready) even while the broker is still unreachable."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from contracts.queues import OUTCOMES, TRANSMIT, QueueSpec
from invoice_service.consumers.outbox_sweep import OutboxSweeper
from invoice_service.consumers.outcomes import OutcomeConsumer
from invoice_service.settings import InvoiceServiceSettings
from invoice_service.tenants import TenantDirectory
from kit.db import TenantEngines
from kit.messaging import Broker

log = logging.getLogger("invoice_service.messaging")
RECONNECT_S = 2.0


class Messaging:
    def __init__(
        self,
        settings: InvoiceServiceSettings,
        service: str,
        engines: TenantEngines,
        directory: TenantDirectory,
    ) -> None:
        self.broker = Broker(settings.amqp_url, service=service)
        self.engines = engines
        self.sweeper = OutboxSweeper(
            directory,
            self.broker,
            grace_s=settings.outbox_grace_s,
            interval_s=settings.outbox_sweep_interval_s,
        )
        self.ready = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect(), name="messaging-start")

    async def _connect(self) -> None:
        while True:
            try:
                await self.broker.start()
                break
            except Exception as exc:  # unreachable broker: keep trying, readiness says so
                log.warning("RabbitMQ not reachable yet: %s", exc)
                await asyncio.sleep(RECONNECT_S)
        # Declared here too: a command must find its queue even before mydata-sync first ran.
        await _declare(self.broker, TRANSMIT)
        await _declare(self.broker, OUTCOMES)
        await self.broker.consume(OUTCOMES.name, OutcomeConsumer(self.engines).handle)
        self.sweeper.start()
        self.ready = True

    async def ping(self) -> None:
        if not self.ready:
            raise RuntimeError("not connected to RabbitMQ yet")
        await self.broker.ping()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.sweeper.stop()
        await self.broker.close()


async def _declare(broker: Broker, spec: QueueSpec) -> None:
    await broker.declare_queue(
        spec.name,
        spec.bindings,
        retry_delays=spec.retry_delays,
        delivery_limit=spec.delivery_limit,
    )
