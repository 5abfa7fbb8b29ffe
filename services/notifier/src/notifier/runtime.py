"""Everything one notifier process runs, built once and started/stopped by the lifespan.

Start-up is ``kit.boot.Boot``: the sweep starts with the database, so messages already recorded
are sent even while the broker is away. SMTP and the SMS provider are not readiness checks:
with them away, messages wait and are retried, which is this service's job.
"""

from __future__ import annotations

import logging
from functools import partial

from kit.auth import ServiceTokens, TokenCodec, internal_audience
from kit.boot import Boot
from kit.db import create_engine
from kit.messaging import Broker
from kit.outbox import OutboxRelay
from notifier.channels.email import SmtpMailer
from notifier.channels.infobip import InfobipSms
from notifier.consumers.requested import BINDINGS, RequestedConsumer
from notifier.db.migrate import prepare_database
from notifier.db.tables import outbox
from notifier.messages.reconcile import Reconciler
from notifier.messages.sending import Sender
from notifier.messages.service import MessageService
from notifier.recipients import consumer as invoice_consumer
from notifier.recipients.events import announce_sent
from notifier.recipients.resolving import Resolver
from notifier.recipients.service import InvoiceEmails
from notifier.recipients.sources import InvoiceSources
from notifier.rendering import Renderer
from notifier.reports.service import ReportService
from notifier.settings import NotifierSettings
from notifier.sweeper import Sweeper

log = logging.getLogger("notifier.runtime")
SERVICE = "notifier"


class NotifierRuntime:
    def __init__(self, settings: NotifierSettings) -> None:
        self.settings = settings
        # Accepts only tokens addressed to this service (kit.auth.internal_audience).
        self.internal_tokens = TokenCodec(
            settings.internal_token_secret, settings.token_issuer, internal_audience(SERVICE)
        )
        # Creating an engine does not connect: a missing database shows in /readyz, not a crash.
        self.engine = create_engine(settings.notify_dsn, pool_size=settings.notify_pool_size)
        renderer = Renderer()
        keyring = settings.keyring()
        self.sms = InfobipSms(settings)
        self.messages = MessageService(settings, renderer, keyring)
        self.sender = Sender(
            self.engine, settings, renderer, SmtpMailer(settings), self.sms, keyring,
            on_sent=announce_sent,
        )  # fmt: skip
        self.reports = ReportService(self.sms)
        self.sources = _sources(settings, self.internal_tokens)
        self.invoice_emails = InvoiceEmails()
        self.resolver = Resolver(self.engine, settings, self.sources, self.messages, self.sender)
        self.sweeper = Sweeper(
            self.engine, self.sender, Reconciler(self.engine, settings, self.sms),
            self.resolver,
        )  # fmt: skip
        self.broker = Broker(settings.amqp_url, service=SERVICE)
        self.relay = OutboxRelay(self.engine, outbox, self.broker)
        self.boot = Boot(
            SERVICE, database="notify database",
            prepare=partial(prepare_database, settings.notify_dsn),
            with_schema=self.sweeper.start, broker=self.broker, messaging=self._consume,
        )  # fmt: skip
        self.schema_ready = self.boot.schema_ready
        self.messaging_ready = self.boot.messaging_ready

    def start(self) -> None:
        self.boot.start()

    async def _consume(self) -> None:
        queue = self.settings.notify_queue
        await self.broker.declare_queue(
            queue, BINDINGS, retry_delays=self.settings.queue_retry_delays_s
        )
        consumer = RequestedConsumer(self.engine, self.messages, self.sender)
        await self.broker.consume(queue, consumer, prefetch=self.settings.consumer_prefetch)
        await self._consume_invoices()
        self.relay.start()

    async def _consume_invoices(self) -> None:
        queue = self.settings.invoice_queue
        await self.broker.declare_queue(
            queue, invoice_consumer.BINDINGS, retry_delays=self.settings.queue_retry_delays_s
        )
        consumer = invoice_consumer.TransmittedConsumer(
            self.engine, self.invoice_emails, self.resolver
        )
        await self.broker.consume(queue, consumer, prefetch=self.settings.consumer_prefetch)

    async def stop(self) -> None:
        """No new work (consumer, sweep), then let the attempts in flight finish."""
        await self.boot.stop()
        await self.relay.stop()
        await self.broker.close()
        await self.sweeper.stop()
        await self.resolver.drain()
        await self.sender.drain()
        await self.sms.close()
        await self.sources.close()
        await self.engine.dispose()


def _sources(settings: NotifierSettings, codec: TokenCodec) -> InvoiceSources:
    """The invoice e-mails' HTTP calls, each with a token bound to the invoice's tenant."""
    tokens = ServiceTokens(codec, SERVICE, ttl_seconds=settings.internal_token_ttl_s)
    return InvoiceSources(
        tokens, invoice_service_url=settings.invoice_service_url,
        mydata_sync_url=settings.mydata_sync_url, portal_url=settings.portal_url,
        timeout_s=settings.upstream_timeout_s, declared_cache_s=settings.declared_cache_s,
    )  # fmt: skip
