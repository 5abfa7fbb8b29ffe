"""kit.boot.Boot against a real RabbitMQ: a database that is not there yet and a broker set-up
that fails are retried, each readiness check says what is missing until then, and the sweep
(``with_schema``) starts once, after the schema and before the broker."""

from __future__ import annotations

import asyncio

import pytest

from kit.boot import Boot
from kit.messaging import Broker, MessagingError


async def test_start_up_waits_for_the_database_then_the_broker(amqp_url: str) -> None:
    order: list[str] = []
    database_up = asyncio.Event()
    messaging_tries: list[int] = []

    async def prepare() -> None:
        order.append("prepare")
        if not database_up.is_set():
            raise ConnectionRefusedError("database not there yet")

    async def messaging() -> None:
        messaging_tries.append(1)
        if len(messaging_tries) == 1:
            raise RuntimeError("queue declaration failed")  # the connection is closed, redone
        order.append("consuming")

    broker = Broker(amqp_url, service="kit-boot-test")
    boot = Boot(
        "kit-boot-test", database="test database", prepare=prepare,
        with_schema=lambda: order.append("sweep"), broker=broker, messaging=messaging,
    )  # fmt: skip
    boot.start()
    try:
        await asyncio.sleep(0.5)
        with pytest.raises(RuntimeError, match="test database not migrated yet"):
            await boot.check_schema()
        with pytest.raises(MessagingError, match="not connected"):
            await boot.check_broker()
        database_up.set()
        async with asyncio.timeout(15):
            await boot.messaging_ready.wait()
        await boot.check_schema()
        await boot.check_broker()  # the broker really answers
    finally:
        await boot.stop()
        await broker.close()
    assert order[-3:] == ["prepare", "sweep", "consuming"]
    assert order.count("sweep") == 1 and len(messaging_tries) == 2
