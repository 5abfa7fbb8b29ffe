"""Readiness checks: the webhooks database and its schema, the broker. Receivers are not
checks: with them away, deliveries wait and are retried, which is this service's job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.messaging import MessagingError

if TYPE_CHECKING:
    from webhooks.runtime import WebhooksRuntime


async def check_schema(runtime: WebhooksRuntime) -> None:
    if not runtime.schema_ready.is_set():
        raise RuntimeError("webhooks database not migrated yet")


async def check_broker(runtime: WebhooksRuntime) -> None:
    """The process's own broker connection is up and answers."""
    if not runtime.messaging_ready.is_set():
        raise MessagingError("not connected to RabbitMQ yet")
    await runtime.broker.ping()
