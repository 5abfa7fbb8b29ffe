"""Readiness checks: the sync database and its schema, the broker, the myDATA circuit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.app import ReadinessCheck
from kit.messaging import MessagingError

if TYPE_CHECKING:
    from mydata_sync.runtime import SyncRuntime


async def check_schema(runtime: SyncRuntime) -> None:
    if not runtime.schema_ready.is_set():
        raise RuntimeError("sync database not migrated yet")


async def check_broker(runtime: SyncRuntime) -> None:
    """The process's own broker connection is up and answers."""
    if not runtime.messaging_ready.is_set():
        raise MessagingError("not connected to RabbitMQ yet")
    await runtime.broker.ping()


async def _always_ok() -> None:
    return None


def circuit_check(runtime: SyncRuntime) -> dict[str, ReadinessCheck]:
    """The breaker state as a detail of /readyz, never a reason to be unready: with myDATA
    down this service is exactly what keeps invoices flowing (deferred, retried later)."""
    state = runtime.breaker.state.name.lower()
    return {f"mydata_circuit:{state}": _always_ok}
