"""kit.messaging against a real RabbitMQ: confirms, request ids, retry tiers, DLQ, poison."""

from __future__ import annotations

import asyncio

import pytest

from contracts.envelope import Envelope
from kit.logs import request_id_var
from kit.messaging import (
    ATTEMPTS_HEADER,
    DEAD_REASON_HEADER,
    UNROUTED_QUEUE,
    Broker,
    PermanentError,
    PublishFailed,
    RetryableError,
    current_delivery,
)
from testkit.rabbit import take_messages, unique_event_type, unique_queue, wait_until


async def _queue_for(broker: Broker, purpose: str, **kwargs: object) -> tuple[str, str]:
    event_type = unique_event_type()
    queue = unique_queue(purpose)
    await broker.declare_queue(queue, [event_type], **kwargs)  # type: ignore[arg-type]
    return queue, event_type


async def test_publish_with_confirm_round_trips_the_envelope(broker: Broker) -> None:
    queue, event_type = await _queue_for(broker, "roundtrip")
    received: list[Envelope] = []

    async def handle(envelope: Envelope) -> None:
        received.append(envelope)

    await broker.consume(queue, handle)
    sent = Envelope(type=event_type, tenant_id="t1", payload={"n": 1, "text": "Ελληνικά"})
    await broker.publish(sent)
    await wait_until(lambda: len(received) == 1)
    assert received[0] == sent


async def test_event_nobody_listens_to_is_kept_in_the_unrouted_queue(
    broker: Broker, amqp_url: str
) -> None:
    sent = Envelope(type=unique_event_type("nobody_listens"))
    await broker.publish(sent)  # confirmed, not refused: the relay behind it is not blocked
    kept = await take_messages(amqp_url, UNROUTED_QUEUE, 1, until_id=sent.message_id)
    assert kept[-1].message_id == sent.message_id


async def test_unroutable_direct_publish_raises(broker: Broker) -> None:
    with pytest.raises(PublishFailed, match="unroutable"):
        await broker.publish_raw(b"{}", unique_queue("missing"), message_id="m1", exchange="")


async def test_ping_answers_when_connected(broker: Broker) -> None:
    await broker.ping()


async def test_request_id_crosses_publish_and_consume(broker: Broker) -> None:
    queue, event_type = await _queue_for(broker, "rid")
    seen: list[str | None] = []

    async def handle(_: Envelope) -> None:
        seen.append(request_id_var.get())

    await broker.consume(queue, handle)
    token = request_id_var.set("req-abc-123")
    try:
        await broker.publish(Envelope(type=event_type))
    finally:
        request_id_var.reset(token)
    await wait_until(lambda: len(seen) == 1)
    assert seen == ["req-abc-123"]


async def test_retryable_error_comes_back_after_the_tier_delay(broker: Broker) -> None:
    queue, event_type = await _queue_for(broker, "retry", retry_delays=[1, 2])
    attempts: list[tuple[int, float]] = []
    loop = asyncio.get_running_loop()

    async def handle(_: Envelope) -> None:
        attempts.append((current_delivery().attempts, loop.time()))
        if len(attempts) == 1:
            raise RetryableError("myDATA is down")

    await broker.consume(queue, handle)
    await broker.publish(Envelope(type=event_type))
    await wait_until(lambda: len(attempts) == 2, within=10)
    assert [a for a, _ in attempts] == [0, 1]
    assert attempts[1][1] - attempts[0][1] >= 0.9  # waited out the 1 s tier


async def test_retries_exhausted_go_to_the_dlq(broker: Broker, amqp_url: str) -> None:
    queue, event_type = await _queue_for(broker, "exhaust", retry_delays=[1])
    calls = 0

    async def handle(_: Envelope) -> None:
        nonlocal calls
        calls += 1
        raise RetryableError("still down")

    await broker.consume(queue, handle)
    sent = Envelope(type=event_type)
    await broker.publish(sent)
    [dead] = await take_messages(amqp_url, f"{queue}.dlq", 1)
    assert dead.message_id == sent.message_id
    assert dead.headers[ATTEMPTS_HEADER] == 2
    assert dead.headers[DEAD_REASON_HEADER] == "retries exhausted"
    assert calls == 2


async def test_permanent_error_goes_straight_to_the_dlq(broker: Broker, amqp_url: str) -> None:
    queue, event_type = await _queue_for(broker, "permanent")
    calls = 0

    async def handle(_: Envelope) -> None:
        nonlocal calls
        calls += 1
        raise PermanentError("invoice does not exist")

    await broker.consume(queue, handle)
    sent = Envelope(type=event_type, payload={"x": 1})
    await broker.publish(sent)
    [dead] = await take_messages(amqp_url, f"{queue}.dlq", 1)
    assert Envelope.model_validate_json(dead.body) == sent
    assert dead.headers[DEAD_REASON_HEADER] == "permanent"
    assert calls == 1


async def test_unparseable_message_goes_to_the_dlq(broker: Broker, amqp_url: str) -> None:
    queue, event_type = await _queue_for(broker, "garbage")
    calls = 0

    async def handle(_: Envelope) -> None:
        nonlocal calls
        calls += 1

    await broker.consume(queue, handle)
    await broker.publish_raw(b"{not json", event_type, message_id="garbage-1")
    [dead] = await take_messages(amqp_url, f"{queue}.dlq", 1)
    assert dead.body == b"{not json"
    assert dead.headers[DEAD_REASON_HEADER] == "unparseable"
    assert calls == 0


async def test_poison_message_is_dead_lettered_by_the_delivery_limit(
    broker: Broker, amqp_url: str
) -> None:
    queue, event_type = await _queue_for(broker, "poison", delivery_limit=2)
    calls = 0

    async def handle(_: Envelope) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("bug: crashes every time")

    await broker.consume(queue, handle)
    sent = Envelope(type=event_type)
    await broker.publish(sent)
    [dead] = await take_messages(amqp_url, f"{queue}.dlq", 1)
    assert dead.message_id == sent.message_id
    # RabbitMQ dead-letters it itself (reason "delivery_limit"), after limit + 1 deliveries.
    assert calls == 3
    death = dead.headers["x-death"][0]  # type: ignore[index]
    assert death["reason"] == "delivery_limit"  # type: ignore[index, call-overload]
