"""Retrying deferred transmissions: a periodic sweep and the batch runner it shares with
"resend all".

Never gives up: a deferred invoice is tried again on its backoff schedule for as long as it
stays deferred (only a business rejection or a success ends it). With the breaker open the
sweep waits; half-open, it sends one invoice alone as the probe and continues only if that
closed the breaker, so a recovering myDATA is not hit by a whole batch at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from kit.tasks import Periodic
from mydata_sync.breaker import BreakerState
from mydata_sync.metrics import DEFERRED_BACKLOG
from mydata_sync.transmissions.repository import ClaimMode
from mydata_sync.transmissions.service import TransmissionService, TransmitResult

log = logging.getLogger("mydata_sync.sweeper")
# Bounds one pass, so a pass always ends and the backlog gauge is refreshed.
MAX_BATCHES_PER_PASS = 10


async def retry_many(
    service: TransmissionService,
    ids: Sequence[int],
    *,
    mode: ClaimMode,
    concurrency: int,
    operator: bool = False,
) -> dict[int, TransmitResult | None]:
    """Retry ``ids`` with bounded concurrency; one failure never stops the others.

    ``operator``: an explicit resend, whose first invoice goes out even with the breaker open.
    """
    results: dict[int, TransmitResult | None] = {}
    rest = list(ids)
    breaker = service.mydata.breaker
    if rest and breaker.state is not BreakerState.CLOSED:
        if breaker.state is BreakerState.OPEN and not operator:
            return results
        first = rest.pop(0)
        results[first] = await service.retry(first, mode, bypass_breaker=operator)
    slots = asyncio.Semaphore(concurrency)

    async def one(transmission_id: int) -> None:
        async with slots:
            results[transmission_id] = await service.retry(transmission_id, mode)

    await asyncio.gather(*(one(i) for i in rest))
    return results


class Sweeper:
    def __init__(self, service: TransmissionService) -> None:
        self.service = service
        self.settings = service.settings
        interval = self.settings.sweep_interval_s
        self._loop = Periodic("mydata-sync:sweeper", self.sweep_once, interval)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def sweep_once(self) -> int:
        """One pass over the due transmissions (a few batches at most); returns how many ran."""
        tried = 0
        for _ in range(MAX_BATCHES_PER_PASS):
            ids = await self.service.due_ids()
            if not ids or self.service.mydata.breaker.state is BreakerState.OPEN:
                break
            results = await retry_many(
                self.service, ids, mode=ClaimMode.DUE, concurrency=self.settings.sweep_concurrency
            )
            tried += len(results)
            if len(ids) < self.settings.sweep_batch or len(results) < len(ids):
                break
        await self.update_backlog()
        return tried

    async def update_backlog(self) -> None:
        DEFERRED_BACKLOG.set(await self.service.deferred_count())
