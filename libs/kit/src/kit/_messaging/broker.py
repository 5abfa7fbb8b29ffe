"""``Broker``: the process's one robust RabbitMQ connection, confirmed publishing, topology."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aio_pika
from aio_pika import DeliveryMode, ExchangeType, Message
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection
from aio_pika.connection import make_url
from aio_pika.exceptions import CONNECTION_EXCEPTIONS, DeliveryError, PublishError
from pamqp.common import Arguments

from contracts.envelope import Envelope
from kit._messaging.consumer import Handler, Subscription
from kit._messaging.errors import MessagingError, PublishFailed
from kit._messaging.topology import (
    DEFAULT_DELIVERY_LIMIT,
    DEFAULT_RETRY_DELAYS,
    DLX_EXCHANGE,
    EVENTS_EXCHANGE,
    REQUEST_ID_HEADER,
    UNROUTED_EXCHANGE,
    UNROUTED_QUEUE,
    QueueTopology,
    dlq_arguments,
    main_queue_arguments,
    make_topology,
    retry_queue_arguments,
    unrouted_queue_arguments,
)
from kit.logs import request_id_var

log = logging.getLogger("kit.messaging")

HeaderValue = str | int | float | bool | None
CONTENT_TYPE = "application/json"
# Under the readiness probe's own limit, so a hung broker reports instead of timing out.
PING_TIMEOUT_S = 1.5


def envelope_bytes(envelope: Envelope) -> bytes:
    return envelope.model_dump_json().encode()


class Broker:
    """One per process, opened and closed by the service's lifespan.

    The connection is robust: after a network or broker failure aio-pika reconnects every
    ``reconnect_interval`` seconds and re-declares exchanges, queues, bindings and consumers.
    Publishes made meanwhile wait for the reconnect up to ``publish_timeout`` and then raise
    ``PublishFailed``; they are never replayed behind the caller's back.
    """

    def __init__(
        self,
        url: str,
        *,
        service: str,
        publish_timeout: float = 10.0,
        reconnect_interval: float = 2.0,
    ) -> None:
        self.url = url
        self.service = service
        self.publish_timeout = publish_timeout
        self.reconnect_interval = reconnect_interval
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._topologies: dict[str, QueueTopology] = {}
        self._subscriptions: list[Subscription] = []

    async def start(self) -> None:
        connection = aio_pika.RobustConnection(
            make_url(self.url, reconnect_interval=self.reconnect_interval),
            client_properties={"connection_name": self.service},
        )
        try:
            await connection.connect()
        except BaseException:
            # A cancelled or failed first connect must not leave a reconnect loop behind: it
            # would keep the event loop busy forever (e.g. a service stopped while starting).
            await connection.close()
            raise
        self._connection = connection
        # on_return_raises: with mandatory=True an unroutable message raises instead of
        # vanishing, so "confirmed" always means "sitting in at least one queue".
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        await self._declare_exchanges(self._channel)

    async def _declare_exchanges(self, channel: AbstractRobustChannel) -> None:
        # An event nobody subscribes to yet (e.g. token.revoked while no gateway runs) goes to
        # the alternate exchange's queue instead of being returned: it is kept for inspection
        # and never blocks the outbox relay behind it.
        await channel.declare_exchange(UNROUTED_EXCHANGE, ExchangeType.FANOUT, durable=True)
        unrouted = await channel.declare_queue(
            UNROUTED_QUEUE, durable=True, arguments=unrouted_queue_arguments()
        )
        await unrouted.bind(UNROUTED_EXCHANGE)
        events = await channel.declare_exchange(
            EVENTS_EXCHANGE,
            ExchangeType.TOPIC,
            durable=True,
            arguments={"alternate-exchange": UNROUTED_EXCHANGE},
        )
        dlx = await channel.declare_exchange(DLX_EXCHANGE, ExchangeType.DIRECT, durable=True)
        self._exchanges = {EVENTS_EXCHANGE: events, DLX_EXCHANGE: dlx, "": channel.default_exchange}

    async def close(self) -> None:
        for subscription in self._subscriptions:
            await subscription.cancel()
        self._subscriptions.clear()
        if self._connection is not None:
            await self._connection.close()
        self._connection = self._channel = None

    @property
    def channel(self) -> AbstractRobustChannel:
        if self._channel is None:
            raise MessagingError("Broker.start() has not been called")
        return self._channel

    async def ping(self) -> None:
        """Readiness: the connection is up and the broker answers a round trip."""
        if self._connection is None or self._connection.is_closed:
            raise MessagingError("not connected to RabbitMQ")
        async with asyncio.timeout(PING_TIMEOUT_S):
            underlay = await self.channel.get_underlay_channel()
            await underlay.exchange_declare(EVENTS_EXCHANGE, passive=True)

    async def publish(
        self,
        envelope: Envelope,
        routing_key: str | None = None,
        headers: Mapping[str, HeaderValue] | None = None,
    ) -> None:
        """Publish an event to ``einv.events``, persistent, and wait for the broker's confirm."""
        all_headers: dict[str, HeaderValue] = dict(headers or {})
        rid = request_id_var.get() or envelope.request_id
        if rid and REQUEST_ID_HEADER not in all_headers:
            all_headers[REQUEST_ID_HEADER] = rid
        await self.publish_raw(
            envelope_bytes(envelope),
            routing_key or envelope.type,
            message_id=envelope.message_id,
            headers=all_headers,
        )

    async def publish_raw(
        self,
        body: bytes,
        routing_key: str,
        *,
        message_id: str,
        headers: Mapping[str, Any] | None = None,
        exchange: str = EVENTS_EXCHANGE,
    ) -> None:
        """Publish an already serialized envelope (the outbox relay's path)."""
        message = Message(
            body,
            headers=dict(headers or {}),
            content_type=CONTENT_TYPE,
            delivery_mode=DeliveryMode.PERSISTENT,
            message_id=message_id,
        )
        await self.publish_message(exchange, routing_key, message)

    async def publish_message(self, exchange: str, routing_key: str, message: Message) -> None:
        """Publish with confirms on the shared channel; any doubt becomes ``PublishFailed``."""
        target = self._exchange(exchange)
        try:
            async with asyncio.timeout(self.publish_timeout):
                await target.publish(message, routing_key, mandatory=True)
        except PublishError as exc:
            raise PublishFailed(f"unroutable: {exchange!r} {routing_key!r}") from exc
        except DeliveryError as exc:
            raise PublishFailed(f"nacked by the broker: {exchange!r} {routing_key!r}") from exc
        except TimeoutError as exc:
            raise PublishFailed(f"no confirm within {self.publish_timeout}s") from exc
        except CONNECTION_EXCEPTIONS as exc:
            raise PublishFailed(f"connection problem: {type(exc).__name__}: {exc}") from exc

    def _exchange(self, name: str) -> AbstractExchange:
        try:
            return self._exchanges[name]
        except KeyError:
            raise MessagingError(f"unknown exchange {name!r} (or Broker not started)") from None

    async def declare_queue(
        self,
        name: str,
        bindings: list[str] | tuple[str, ...] = (),
        *,
        retry_delays: list[int] | tuple[int, ...] = DEFAULT_RETRY_DELAYS,
        delivery_limit: int = DEFAULT_DELIVERY_LIMIT,
    ) -> QueueTopology:
        """Declare a consumer queue bound to ``einv.events``, its DLQ and its retry tiers."""
        topology = make_topology(name, bindings, retry_delays, delivery_limit)
        channel = self.channel
        dlq = await self._declare(channel, topology.dlq, dlq_arguments())
        await dlq.bind(DLX_EXCHANGE, topology.dlq)
        for delay, tier in zip(topology.retry_delays, topology.retry_queues, strict=True):
            await self._declare(channel, tier, retry_queue_arguments(name, delay))
        main = await self._declare(channel, name, main_queue_arguments(topology))
        for key in topology.bindings:
            await main.bind(EVENTS_EXCHANGE, key)
        self._topologies[name] = topology
        return topology

    @staticmethod
    async def _declare(
        channel: AbstractRobustChannel, name: str, arguments: Arguments
    ) -> aio_pika.abc.AbstractRobustQueue:
        return await channel.declare_queue(name, durable=True, arguments=arguments)

    async def consume(self, queue: str, handler: Handler, *, prefetch: int = 10) -> Subscription:
        """Start consuming a queue declared with ``declare_queue``; see ``kit.messaging``."""
        topology = self._topologies.get(queue)
        if topology is None:
            raise MessagingError(f"declare_queue({queue!r}) before consuming it")
        if self._connection is None:
            raise MessagingError("Broker.start() has not been called")
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=prefetch)
        amqp_queue = await self._declare(channel, queue, main_queue_arguments(topology))
        subscription = Subscription(channel, amqp_queue, topology, handler, self.publish_message)
        await subscription.start()
        self._subscriptions.append(subscription)
        return subscription
