"""Consumers after failures: a crashed consumer's message is redelivered; a consumer whose
connection was cut resumes by itself once the network heals."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aio_pika
import pytest

from contracts.envelope import Envelope
from kit.messaging import Broker, current_delivery
from testkit.faultproxy import FaultProxy
from testkit.rabbit import broker_address, unique_event_type, unique_queue, via_address, wait_until


@pytest.fixture
async def amqp_proxy(amqp_url: str) -> AsyncIterator[FaultProxy]:
    proxy = FaultProxy(*broker_address(amqp_url))
    await proxy.start()
    yield proxy
    await proxy.close()


async def test_message_of_a_dead_consumer_is_redelivered(broker: Broker, amqp_url: str) -> None:
    event_type, queue = unique_event_type(), unique_queue("crash")
    await broker.declare_queue(queue, [event_type])
    sent = Envelope(type=event_type)
    await broker.publish(sent)
    # A "process" takes the message and dies before acknowledging it.
    doomed = await aio_pika.connect(amqp_url)
    channel = await doomed.channel()
    taken = await (await channel.get_queue(queue, ensure=False)).get(fail=False)
    assert taken is not None and taken.message_id == sent.message_id
    await doomed.close()

    redelivered: list[bool] = []

    async def handle(envelope: Envelope) -> None:
        assert envelope == sent
        redelivered.append(current_delivery().redelivered)

    await broker.consume(queue, handle)
    await wait_until(lambda: redelivered == [True])


async def test_consumer_resumes_after_the_connection_heals(
    broker: Broker, amqp_url: str, amqp_proxy: FaultProxy
) -> None:
    event_type, queue = unique_event_type(), unique_queue("resume")
    url = via_address(amqp_url, *amqp_proxy.address)
    consumer = Broker(url, service="consumer", reconnect_interval=0.3)
    await consumer.start()
    try:
        await consumer.declare_queue(queue, [event_type])
        got: list[str] = []

        async def handle(envelope: Envelope) -> None:
            got.append(envelope.message_id)

        await consumer.consume(queue, handle)
        amqp_proxy.cut()
        with pytest.raises(Exception):  # noqa: B017 - any failure: the broker is unreachable
            await consumer.ping()
        sent = Envelope(type=event_type)
        await broker.publish(sent)  # waits in the queue while the consumer is cut off
        amqp_proxy.heal()
        await wait_until(lambda: got == [sent.message_id], within=15)
    finally:
        await consumer.close()
