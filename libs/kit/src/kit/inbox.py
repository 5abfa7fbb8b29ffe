"""The consumer inbox: apply each message once, however often RabbitMQ delivers it.

Delivery is at-least-once (outbox relays retry, consumers crash before acking), so every
consumer records the message id in its inbox table *in the same transaction as the effect*:
either both are committed or neither, and a second delivery finds the id and does nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope

Effect = Callable[[AsyncConnection, Envelope], Awaitable[None]]
EngineFor = Callable[[Envelope], Awaitable[AsyncEngine]]
Handler = Callable[[Envelope], Awaitable[None]]


async def claim(conn: AsyncConnection, table: Table, consumer: str, message_id: str) -> bool:
    """Record ``message_id`` as processed by ``consumer``; False if it already was (skip).

    A concurrent duplicate waits on the primary key until the first transaction ends, then
    sees the conflict: only one of them ever gets True.
    """
    stmt = (
        insert(table)
        .values(consumer=consumer, message_id=message_id)
        .on_conflict_do_nothing(index_elements=["consumer", "message_id"])
        .returning(table.c.message_id)
    )
    return (await conn.execute(stmt)).first() is not None


def idempotent(
    engine: AsyncEngine | EngineFor, table: Table, consumer: str, effect: Effect
) -> Handler:
    """A message handler that runs ``effect`` and the inbox claim in one transaction.

    ``engine`` may be a function of the envelope, for consumers whose database depends on the
    tenant (``TenantEngines.get`` by ``envelope.tenant_id``). Exceptions from ``effect`` roll
    the claim back too, so a retried message is applied on its next delivery.
    """

    async def handle(envelope: Envelope) -> None:
        target = engine if isinstance(engine, AsyncEngine) else await engine(envelope)
        async with target.begin() as conn:
            if await claim(conn, table, consumer, envelope.message_id):
                await effect(conn, envelope)

    return handle
