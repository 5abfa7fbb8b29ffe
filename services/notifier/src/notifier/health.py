"""Readiness checks: the notify database and its schema, the broker. SMTP and the SMS gateway
are not checks: with them away, messages wait and are retried, which is this service's job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.messaging import MessagingError

if TYPE_CHECKING:
    from notifier.runtime import NotifierRuntime


async def check_schema(runtime: NotifierRuntime) -> None:
    if not runtime.schema_ready.is_set():
        raise RuntimeError("notify database not migrated yet")


async def check_broker(runtime: NotifierRuntime) -> None:
    """The process's own broker connection is up and answers."""
    if not runtime.messaging_ready.is_set():
        raise MessagingError("not connected to RabbitMQ yet")
    await runtime.broker.ping()
