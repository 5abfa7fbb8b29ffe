"""kit.outbox: rows committed while RabbitMQ or PostgreSQL is unreachable are relayed after.

The relay's connections go through a ``FaultProxy``; the consumer counting deliveries is
connected directly, so it keeps working while the relay's path is cut.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Envelope
from kit.db import create_engine
from kit.messaging import Broker
from kit.outbox import OutboxRelay, add_to_outbox, withdraw
from kit.tables import outbox_table
from testkit.faultproxy import FaultProxy
from testkit.rabbit import (
    broker_address,
    unique_event_type,
    unique_queue,
    via_address,
    wait_until,
    wait_until_async,
)

metadata = MetaData()
outbox = outbox_table(metadata)


@pytest.fixture
async def db_dsn(new_database: Callable[[str], Awaitable[str]]) -> str:
    dsn = await new_database("outbox")
    engine = create_engine(dsn, pool_size=1)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return dsn


@pytest.fixture
async def engine(db_dsn: str) -> AsyncIterator[AsyncEngine]:
    direct = create_engine(db_dsn, pool_size=2)
    yield direct
    await direct.dispose()


async def _proxy_to(host: str, port: int) -> FaultProxy:
    proxy = FaultProxy(host, port)
    await proxy.start()
    return proxy


@pytest.fixture
async def amqp_proxy(amqp_url: str) -> AsyncIterator[FaultProxy]:
    proxy = await _proxy_to(*broker_address(amqp_url))
    yield proxy
    await proxy.close()


@pytest.fixture
async def relay_broker(amqp_url: str, amqp_proxy: FaultProxy) -> AsyncIterator[Broker]:
    url = via_address(amqp_url, *amqp_proxy.address)
    relayed = Broker(url, service="relay", publish_timeout=1.0, reconnect_interval=0.3)
    await relayed.start()
    yield relayed
    await relayed.close()


class Ledger:
    """Counts deliveries per message id at the consumer."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    async def handle(self, envelope: Envelope) -> None:
        self.seen[envelope.message_id] += 1


async def _consumer(broker: Broker) -> tuple[str, Ledger]:
    event_type, queue = unique_event_type("issued"), unique_queue("outbox")
    await broker.declare_queue(queue, [event_type])
    ledger = Ledger()
    await broker.consume(queue, ledger.handle)
    return event_type, ledger


async def _write(engine: AsyncEngine, event_type: str, n: int) -> list[str]:
    envelopes = [Envelope(type=event_type, payload={"i": i}) for i in range(n)]
    async with engine.begin() as conn:
        for envelope in envelopes:
            await add_to_outbox(conn, outbox, envelope)
    return [e.message_id for e in envelopes]


async def _rows(engine: AsyncEngine) -> dict[str, tuple[bool, int]]:
    """message_id → (sent, attempts)."""
    c = outbox.c
    async with engine.connect() as conn:
        rows = (await conn.execute(select(c.message_id, c.sent_at, c.attempts))).all()
    return {r.message_id: (r.sent_at is not None, r.attempts) for r in rows}


def _rows_where(
    engine: AsyncEngine, check: Callable[[dict[str, tuple[bool, int]]], bool]
) -> Callable[[], Awaitable[bool]]:
    async def predicate() -> bool:
        return check(await _rows(engine))

    return predicate


async def test_outbox_survives_a_broker_outage(
    broker: Broker, relay_broker: Broker, amqp_proxy: FaultProxy, engine: AsyncEngine
) -> None:
    event_type, ledger = await _consumer(broker)
    relay = OutboxRelay(engine, outbox, relay_broker, poll_interval=0.1, max_backoff=0.5)
    relay.start()
    try:
        before = await _write(engine, event_type, 3)
        relay.notify()
        await wait_until(lambda: set(ledger.seen) == set(before))

        amqp_proxy.cut()
        during = await _write(engine, event_type, 5)
        relay.notify()
        # Each row is tried and fails while the broker is unreachable; none is marked sent.
        await wait_until_async(_rows_where(engine, lambda r: all(r[i][1] >= 1 for i in during)))
        rows = await _rows(engine)
        assert not any(rows[i][0] for i in during)
        assert set(ledger.seen) == set(before)

        amqp_proxy.heal()
        await wait_until(lambda: set(ledger.seen) == set(before + during), within=20)
        await wait_until_async(_rows_where(engine, lambda r: all(s for s, _ in r.values())))
    finally:
        await relay.stop()
    assert all(count == 1 for count in ledger.seen.values()), ledger.seen


async def test_outbox_survives_a_database_outage(
    broker: Broker, engine: AsyncEngine, db_dsn: str
) -> None:
    url = make_url(db_dsn)
    db_proxy = await _proxy_to(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=db_proxy.port).render_as_string(hide_password=False)
    relay_engine = create_engine(proxied, pool_size=1, connect_args={"timeout": 2})
    event_type, ledger = await _consumer(broker)
    relay = OutboxRelay(relay_engine, outbox, broker, poll_interval=0.1, max_backoff=0.5)
    relay.start()
    try:
        db_proxy.cut()
        tried = db_proxy.accepted
        ids = await _write(engine, event_type, 4)  # the application's own path still works
        relay.notify()
        await wait_until(lambda: db_proxy.accepted > tried)  # the relay tried and was refused
        assert not await _rows_where(engine, lambda r: any(s for s, _ in r.values()))()
        db_proxy.heal()
        await wait_until(lambda: set(ledger.seen) == set(ids), within=20)
        await wait_until_async(_rows_where(engine, lambda r: all(s for s, _ in r.values())))
    finally:
        await relay.stop()
        await relay_engine.dispose()
        await db_proxy.close()
    assert all(count == 1 for count in ledger.seen.values()), ledger.seen


async def test_young_rows_wait_for_their_writer_to_withdraw_them(
    broker: Broker, engine: AsyncEngine
) -> None:
    event_type, ledger = await _consumer(broker)
    withdrawn, left = await _write(engine, event_type, 2)
    relay = OutboxRelay(engine, outbox, broker, min_age=0.5)
    assert (await relay.relay_once()).selected == 0  # both rows are younger than min_age
    async with engine.begin() as conn:
        assert await withdraw(conn, outbox, withdrawn)
    await asyncio.sleep(0.6)
    result = await relay.relay_once()
    assert (result.selected, result.sent) == (1, 1)
    await wait_until(lambda: set(ledger.seen) == {left})
    async with engine.begin() as conn:
        assert not await withdraw(conn, outbox, left)  # the relay took it first
