"""Relays submission commands that their synchronous call did not withdraw.

Each tenant database has its own outbox. Every few seconds this task visits only the tenants
issuance marked (``Unwithdrawn``: an RPC left unanswered, a failure between the two steps); at
start and then every ``full_interval_s`` it visits every active tenant, for what a crashed
process left behind. At hundreds of customers a visit of all of them every few seconds would be
hundreds of connections to open (ADR 0013). It has a small engine cache of its own, so that the
request path's engine cache is not churned by the sweep.
"""

from __future__ import annotations

import logging
import time

from invoice_service.invoices.unwithdrawn import Unwithdrawn
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
        self,
        directory: TenantDirectory,
        broker: Broker,
        unwithdrawn: Unwithdrawn,
        *,
        grace_s: float,
        interval_s: float,
        full_interval_s: float,
    ) -> None:
        self.directory = directory
        self.broker = broker
        self.unwithdrawn = unwithdrawn
        self.grace_s = grace_s
        self.interval_s = interval_s
        self.full_interval_s = full_interval_s
        self._last_full: float | None = None
        self.engines = TenantEngines(directory.dsn, max_engines=SWEEP_ENGINES, pool_size=1)
        self._loop = Periodic("invoice-service:outbox-sweep", self.sweep_once, interval_s)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
        await self.engines.dispose_all()

    async def sweep_once(self) -> int:
        """Relay the due rows of the marked tenants, or of every active tenant when a full sweep
        is due; the number of rows published."""
        marked = self.unwithdrawn.due(self.grace_s)
        now = time.monotonic()
        if self._last_full is None or now - self._last_full >= self.full_interval_s:
            tenants = await self.directory.active_tenants()
            self._last_full = now
        else:
            tenants = list(marked)
        sent = 0
        for tenant_id in tenants:
            try:
                sent += await self._relay(tenant_id)
            except Exception:  # one broken tenant database must not stop the others
                log.exception("outbox sweep of a tenant failed", extra={"tenant_id": tenant_id})
                continue
            if tenant_id in marked:  # its marked commands were old enough: relayed now
                self.unwithdrawn.clear(tenant_id, marked[tenant_id])
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
