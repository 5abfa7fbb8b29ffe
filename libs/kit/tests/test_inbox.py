"""kit.inbox: a message delivered twice is applied once (real PostgreSQL and RabbitMQ)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope
from kit.db import create_engine
from kit.inbox import claim, idempotent
from kit.messaging import Broker
from kit.tables import inbox_table
from testkit.rabbit import unique_event_type, unique_queue, wait_until

metadata = MetaData()
inbox = inbox_table(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Text, nullable=False),
)


@pytest.fixture
async def engine(new_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[AsyncEngine]:
    db = create_engine(await new_database("inbox"), pool_size=3)
    async with db.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield db
    await db.dispose()


async def _count_effects(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(effects))).scalar_one())


async def test_claim_is_true_once_and_undone_by_rollback(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        async with conn.begin() as tx:
            assert await claim(conn, inbox, "c1", "m1")
            await tx.rollback()
        async with conn.begin():
            assert await claim(conn, inbox, "c1", "m1")
        async with conn.begin():
            assert not await claim(conn, inbox, "c1", "m1")
            assert await claim(conn, inbox, "c2", "m1")  # another consumer has its own inbox


async def test_duplicate_delivery_is_applied_once(broker: Broker, engine: AsyncEngine) -> None:
    event_type, queue = unique_event_type(), unique_queue("inbox")
    await broker.declare_queue(queue, [event_type])

    async def record(conn: AsyncConnection, envelope: Envelope) -> None:
        await conn.execute(effects.insert().values(message_id=envelope.message_id))

    apply = idempotent(engine, inbox, "test-consumer", record)
    handled = 0

    async def handle(envelope: Envelope) -> None:
        nonlocal handled
        await apply(envelope)
        handled += 1

    await broker.consume(queue, handle, prefetch=10)  # both copies may be handled concurrently
    envelope = Envelope(type=event_type, payload={"amount": "12.40"})
    await broker.publish(envelope)
    await broker.publish(envelope)
    await wait_until(lambda: handled == 2)
    assert await _count_effects(engine) == 1
