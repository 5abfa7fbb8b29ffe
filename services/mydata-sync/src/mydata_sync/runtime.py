"""Everything one mydata-sync process runs, built once and started/stopped by the lifespan.

Start-up is ``kit.boot.Boot`` (the RPC answers 503 until the schema is ready). The sweep starts
with the database; outcome events wait in the outbox until the broker is there.
"""

from __future__ import annotations

import logging
from functools import partial

from gsis.client import RegistryClient
from kit.auth import TokenCodec, internal_audience
from kit.boot import Boot
from kit.db import create_engine
from kit.messaging import Broker
from kit.outbox import OutboxRelay
from mydata.client import ProviderClient
from mydata_sync.breaker import CircuitBreaker
from mydata_sync.consumers.transmit import BINDINGS, TransmitConsumer
from mydata_sync.db.migrate import prepare_database
from mydata_sync.db.tables import outbox
from mydata_sync.metrics import breaker_changed
from mydata_sync.receivers.service import ReceiverDirectory
from mydata_sync.registry.service import VatRegistry
from mydata_sync.settings import MydataSyncSettings
from mydata_sync.sweeper import Sweeper
from mydata_sync.transmissions.mydata_calls import MydataCalls
from mydata_sync.transmissions.service import TransmissionService

log = logging.getLogger("mydata_sync.runtime")
SERVICE = "mydata-sync"


class SyncRuntime:
    def __init__(self, settings: MydataSyncSettings) -> None:
        self.settings = settings
        # Accepts only tokens addressed to this service (kit.auth.internal_audience).
        self.internal_tokens = TokenCodec(
            settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
        )
        # Creating an engine does not connect: a missing database shows in /readyz, not a crash.
        self.engine = create_engine(settings.sync_dsn, pool_size=settings.sync_pool_size)
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold,
            connect_failure_threshold=settings.breaker_connect_failure_threshold,
            cooldown_s=settings.breaker_cooldown_s,
            on_change=breaker_changed,
        )
        self.client = ProviderClient(
            settings.mydata_base_url,
            settings.mydata_user_id,
            settings.mydata_subscription_key,
            timeout=settings.mydata_timeout_s,
            connect_timeout=settings.mydata_connect_timeout_s,
        )
        mydata = MydataCalls(
            self.client,
            self.breaker,
            max_in_flight=settings.mydata_max_in_flight,
            lookup_max_pages=settings.mydata_lookup_max_pages,
            slow_call_s=settings.breaker_slow_call_s,
        )
        self.receivers = ReceiverDirectory(self.client, ttl_s=settings.receiver_cache_ttl_s)
        self.registry_client = RegistryClient(settings.gsis_url, timeout=settings.gsis_timeout_s)
        self.registry = VatRegistry(
            self.engine,
            self.registry_client,
            settings.keyring(),
            settings.provider_registry_codes(),
            ttl_s=settings.registry_cache_ttl_s,
        )
        self.broker = Broker(settings.amqp_url, service=SERVICE)
        self.relay = OutboxRelay(self.engine, outbox, self.broker)
        self.service = TransmissionService(self.engine, mydata, settings, notify=self.relay.notify)
        self.sweeper = Sweeper(self.service)
        self.boot = Boot(
            SERVICE, database="sync database",
            prepare=partial(prepare_database, settings.sync_dsn),
            with_schema=self.sweeper.start, broker=self.broker, messaging=self._consume,
        )  # fmt: skip
        self.schema_ready = self.boot.schema_ready
        self.messaging_ready = self.boot.messaging_ready

    def start(self) -> None:
        self.boot.start()

    async def _consume(self) -> None:
        queue = self.settings.transmit_queue
        await self.broker.declare_queue(
            queue, BINDINGS, retry_delays=self.settings.queue_retry_delays_s
        )
        consumer = TransmitConsumer(self.service)
        await self.broker.consume(queue, consumer, prefetch=self.settings.consumer_prefetch)
        self.relay.start()

    async def stop(self) -> None:
        await self.boot.stop()
        await self.sweeper.stop()
        await self.relay.stop()
        await self.broker.close()
        await self.client.close()
        await self.registry_client.close()
        await self.engine.dispose()
