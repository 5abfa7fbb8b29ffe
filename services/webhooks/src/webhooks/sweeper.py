"""The periodic sweep of one webhooks process: recover attempts whose worker died, send what is
due (retries, recovered attempts, first attempts the consumer left), refresh the gauges.

Bounded: each pass takes at most ``EINV_WEBHOOKS_SWEEP_BATCH`` deliveries, sent through the
sender's ``EINV_WEBHOOKS_SEND_CONCURRENCY`` slots, so a pass always ends. Several processes may
sweep together: claims are conditioned on the state they read, recovery skips locked rows.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import transaction
from kit.tasks import Periodic
from webhooks.db.tables import STATES
from webhooks.deliveries import repository as repo
from webhooks.deliveries.sending import Sender
from webhooks.metrics import DELIVERIES

log = logging.getLogger("webhooks.sweeper")


class Sweeper:
    def __init__(self, engine: AsyncEngine, sender: Sender) -> None:
        self.engine = engine
        self.sender = sender
        self.settings = sender.settings
        self._loop = Periodic("webhooks:sweeper", self.sweep_once, self.settings.sweep_interval_s)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def sweep_once(self) -> None:
        await self.recover()
        async with self.engine.connect() as conn:
            due = await repo.due(conn, self.settings.sweep_batch)
        results = await asyncio.gather(
            *(self.sender.send(i, due_only=True) for i in due), return_exceptions=True
        )
        for failure in (r for r in results if isinstance(r, Exception)):
            log.error("sweep attempt failed", exc_info=failure)
        await self.update_gauges()

    async def recover(self) -> int:
        """Attempts whose worker died (lease over): pending again, with an attempt row saying
        so; they are sent again at once."""
        async with transaction(self.engine) as conn:
            rows = await repo.recover_expired(conn, self.settings.sweep_batch)
            for row in rows:
                await repo.record_attempt(conn, {
                    "delivery_id": row.id, "number": row.attempts, "trigger": "recovered",
                    "started_at": row.updated_at, "outcome": "recovered",
                    "error": "the worker was lost during the attempt",
                })  # fmt: skip
        if rows:
            log.warning("recovered abandoned attempts", extra={"count": len(rows)})
        return len(rows)

    async def update_gauges(self) -> None:
        async with self.engine.connect() as conn:
            counts = await repo.count_by_state(conn)
        for state in STATES:
            DELIVERIES.labels(state).set(counts.get(state, 0))
