"""Everything one webhooks process runs, built once and started/stopped by the lifespan.

Start-up is ``kit.boot.Boot``: the sweep starts with the database, so deliveries already
recorded go out even while the broker is away. Receivers are not readiness checks: with them
away, deliveries wait and are retried, which is this service's job.
"""

from __future__ import annotations

import logging
from functools import partial

from kit.auth import TokenCodec, internal_audience
from kit.boot import Boot
from kit.db import create_engine
from kit.messaging import Broker
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
        self.boot = Boot(
            SERVICE, database="webhooks database",
            prepare=partial(prepare_database, settings.webhooks_dsn),
            with_schema=self.sweeper.start, broker=self.broker, messaging=self._consume,
        )  # fmt: skip
        self.schema_ready = self.boot.schema_ready
        self.messaging_ready = self.boot.messaging_ready

    def start(self) -> None:
        self.boot.start()

    async def _consume(self) -> None:
        queue = self.settings.queue
        await self.broker.declare_queue(
            queue, BINDINGS, retry_delays=self.settings.queue_retry_delays_s
        )
        consumer = EventConsumer(self.engine, self.deliveries, self.sender)
        await self.broker.consume(queue, consumer, prefetch=self.settings.prefetch)

    async def stop(self) -> None:
        """No new work (consumer, sweep), then let the attempts in flight finish."""
        await self.boot.stop()
        await self.broker.close()
        await self.sweeper.stop()
        await self.sender.drain()
        await self.client.close()
        await self.engine.dispose()
