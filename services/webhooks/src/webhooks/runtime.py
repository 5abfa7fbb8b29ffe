"""Everything one webhooks process runs, built once and started/stopped by the lifespan.

Start-up never crashes on a missing database or broker: a boot task retries the migration
(creating the database if needed) and then the broker connection; ``/readyz`` says what is
missing meanwhile. The sweep starts with the database: deliveries already recorded go out even
while the broker is away.
"""

from __future__ import annotations

import asyncio
import logging

from kit.auth import TokenCodec, internal_audience
from kit.db import create_engine
from kit.messaging import Broker
from kit.tasks import MIGRATION_TIMEOUT_S, cancel_and_wait, retry_until_done
from webhooks.client import WebhookClient
from webhooks.consumers.events import BINDINGS, EventConsumer
from webhooks.db.migrate import prepare_database
from webhooks.deliveries.sending import Sender
from webhooks.deliveries.service import DeliveryService
from webhooks.endpoints.service import EndpointService
from webhooks.settings import WebhooksSettings
from webhooks.sweeper import Sweeper

log = logging.getLogger("webhooks.runtime")
SERVICE = "webhooks"


class WebhooksRuntime:
    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings
        # Accepts only tokens addressed to this service (kit.auth.internal_audience).
        self.internal_tokens = TokenCodec(
            settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
        )
        # Creating an engine does not connect: a missing database shows in /readyz, not a crash.
        self.engine = create_engine(settings.webhooks_dsn, pool_size=settings.pool_size)
        self.endpoints = EndpointService(settings, settings.keyring())
        self.deliveries = DeliveryService(settings)
        self.client = WebhookClient(settings)
        self.sender = Sender(self.engine, settings, self.endpoints, self.client)
        self.sweeper = Sweeper(self.engine, self.sender)
        self.broker = Broker(settings.amqp_url, service=SERVICE)
        self.schema_ready = asyncio.Event()
        self.messaging_ready = asyncio.Event()
        self._boot: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._boot = asyncio.create_task(self._start_all(), name="webhooks:boot")

    async def _start_all(self) -> None:
        await retry_until_done(
            "webhooks database migration",
            self._prepare_database,
            attempt_timeout_s=MIGRATION_TIMEOUT_S,
        )
        self.schema_ready.set()
        self.sweeper.start()
        await retry_until_done("broker connection", self._start_messaging)
        self.messaging_ready.set()

    async def _prepare_database(self) -> None:
        await prepare_database(self.settings.webhooks_dsn)

    async def _start_messaging(self) -> None:
        try:
            await self.broker.start()
            queue = self.settings.queue
            await self.broker.declare_queue(
                queue, BINDINGS, retry_delays=self.settings.queue_retry_delays_s
            )
            consumer = EventConsumer(self.engine, self.deliveries, self.sender)
            await self.broker.consume(queue, consumer, prefetch=self.settings.prefetch)
        except BaseException:
            await self.broker.close()  # the next try opens a fresh connection
            raise

    async def stop(self) -> None:
        """No new work (consumer, sweep), then let the attempts in flight finish."""
        await cancel_and_wait(self._boot)
        await self.broker.close()
        await self.sweeper.stop()
        await self.sender.drain()
        await self.client.close()
        await self.engine.dispose()
