"""The service's RabbitMQ side: queues, the outcome consumer and the tenant outbox sweep, set up
once the broker answers (``kit.messaging.BackgroundStart``)."""

from __future__ import annotations

from contracts.queues import OUTCOMES, TRANSMIT, QueueSpec
from invoice_service.consumers.outbox_sweep import OutboxSweeper
from invoice_service.consumers.outcomes import OutcomeConsumer
from invoice_service.invoices.service import Issuance
from invoice_service.settings import InvoiceServiceSettings
from invoice_service.tenants import TenantDirectory
from kit.db import TenantEngines
from kit.messaging import BackgroundStart, Broker


class Messaging:
    def __init__(
        self,
        settings: InvoiceServiceSettings,
        service: str,
        engines: TenantEngines,
        directory: TenantDirectory,
        issuance: Issuance,
    ) -> None:
        broker = Broker(settings.amqp_url, service=service)
        self.engines = engines
        self.applied = issuance.applied
        self.sweeper = OutboxSweeper(
            directory,
            broker,
            issuance.unwithdrawn,
            grace_s=settings.outbox_grace_s,
            interval_s=settings.outbox_sweep_interval_s,
            full_interval_s=settings.outbox_full_sweep_interval_s,
        )
        self._start = BackgroundStart(broker, self._set_up)

    async def _set_up(self, broker: Broker) -> None:
        # Declared here too: a command must find its queue even before mydata-sync first ran.
        await declare(broker, TRANSMIT)
        await declare(broker, OUTCOMES)
        await broker.consume(OUTCOMES.name, OutcomeConsumer(self.engines, self.applied).handle)
        self.sweeper.start()

    def start(self) -> None:
        self._start.start()

    async def ping(self) -> None:
        await self._start.ping()

    async def stop(self) -> None:
        await self.sweeper.stop()
        await self._start.stop()


async def declare(broker: Broker, spec: QueueSpec) -> None:
    await broker.declare_queue(
        spec.name,
        spec.bindings,
        retry_delays=spec.retry_delays,
        delivery_limit=spec.delivery_limit,
    )
