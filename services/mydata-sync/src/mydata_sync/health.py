"""The myDATA circuit as a detail of /readyz (the database, schema and broker checks are
``kit.boot.Boot``'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.app import ReadinessCheck

if TYPE_CHECKING:
    from mydata_sync.runtime import SyncRuntime


async def _always_ok() -> None:
    return None


def circuit_check(runtime: SyncRuntime) -> dict[str, ReadinessCheck]:
    """The breaker state as a detail of /readyz, never a reason to be unready: with myDATA
    down this service is exactly what keeps invoices flowing (deferred, retried later)."""
    state = runtime.breaker.state.name.lower()
    return {f"mydata_circuit:{state}": _always_ok}
