"""Relays submission commands that their synchronous call did not withdraw, for every tenant.

Each tenant database has its own outbox; this task visits them in turn with a small engine cache
of its own, so that the request path's engine cache is not churned by the sweep.
"""

from __future__ import annotations

import logging

from invoice_service.tenants import TenantDirectory
from kit.db import TenantEngines
from kit.messaging import Broker
from kit.outbox import OutboxRelay
from kit.tasks import Periodic
from tenant_schema.tables import outbox

log = logging.getLogger("invoice_service.outbox_sweep")
# The sweep's own small engine cache, kept apart from the request path's (counted in main's
# connection budget).
SWEEP_ENGINES = 4


class OutboxSweeper:
    def __init__(
        self, directory: TenantDirectory, broker: Broker, *, grace_s: float, interval_s: float
    ) -> None:
        self.directory = directory
        self.broker = broker
        self.grace_s = grace_s
        self.interval_s = interval_s
        self.engines = TenantEngines(directory.dsn, max_engines=SWEEP_ENGINES, pool_size=1)
        self._loop = Periodic("invoice-service:outbox-sweep", self.sweep_once, interval_s)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
        await self.engines.dispose_all()

    async def sweep_once(self) -> int:
        """Relay every due row of every active tenant; the number of rows published."""
        sent = 0
        for tenant_id in await self.directory.active_tenants():
            try:
                sent += await self._relay(tenant_id)
            except Exception:  # one broken tenant database must not stop the others
                log.exception("outbox sweep of a tenant failed", extra={"tenant_id": tenant_id})
        return sent

    async def _relay(self, tenant_id: str) -> int:
        engine = await self.engines.get(tenant_id)
        relay = OutboxRelay(engine, outbox, self.broker, min_age=self.grace_s)
        total = 0
        while (result := await relay.relay_once()).sent:
            total += result.sent
            if result.selected < relay.batch:
                break
        return total
