"""The periodic sweep of one notifier process: recover attempts whose worker died, send what is
due (retries, recovered ones, on-call's resends), look up unknown SMS, make the e-mails of
transmitted invoices still waiting for theirs, refresh the gauges.

Bounded: each pass handles at most ``EINV_NOTIFY_SWEEP_BATCH`` messages of each kind with
``EINV_NOTIFY_SEND_CONCURRENCY`` at a time, so a pass always ends. Several processes may sweep
together: claims, hand-overs and look-ups are all conditioned on the state they read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import transaction
from kit.tasks import Periodic
from notifier.db.tables import INVOICE_EMAIL_STATES, STATES
from notifier.messages import repository as repo
from notifier.messages.reconcile import Reconciler
from notifier.messages.sending import Sender
from notifier.metrics import INVOICE_EMAILS, MESSAGES
from notifier.recipients import repository as recipients_repo
from notifier.recipients.resolving import Resolver

log = logging.getLogger("notifier.sweeper")


async def bounded(ids: Sequence[int], run: Callable[[int], Awaitable[Any]], limit: int) -> None:
    """``run`` each id, ``limit`` at a time; one failure never stops the others."""
    slots = asyncio.Semaphore(limit)

    async def one(message_pk: int) -> None:
        async with slots:
            try:
                await run(message_pk)
            except Exception:
                log.exception("sweep step failed", extra={"pk": message_pk})

    await asyncio.gather(*(one(i) for i in ids))


class Sweeper:
    def __init__(
        self, engine: AsyncEngine, sender: Sender, reconciler: Reconciler, resolver: Resolver
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.reconciler = reconciler
        self.resolver = resolver
        self.settings = sender.settings
        self._loop = Periodic("notifier:sweeper", self.sweep_once, self.settings.sweep_interval_s)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def sweep_once(self) -> None:
        batch, concurrency = self.settings.sweep_batch, self.settings.send_concurrency
        await self.recover()
        async with self.engine.connect() as conn:
            due = await repo.due_pending(conn, batch)
            unknown = await repo.due_unknown_sms(conn, batch)
            invoices = await recipients_repo.due(conn, batch)
        await bounded(due, self._send_due, concurrency)
        await bounded(unknown, self.reconciler.check, concurrency)
        await bounded(invoices, self._resolve_due, concurrency)
        await self.update_gauges()

    async def _send_due(self, message_pk: int) -> None:
        await self.sender.send(message_pk, due_only=True)

    async def _resolve_due(self, pk: int) -> None:
        """A transmitted invoice whose e-mail is still to be made: its retry is due, or the
        worker making it died (its lease ran out)."""
        await self.resolver.resolve(pk, due_only=True)

    async def recover(self) -> int:
        """Attempts whose worker died: pending again, or unknown once handed over."""
        async with transaction(self.engine) as conn:
            rows = await repo.recover_expired(conn, self.settings.sweep_batch)
            for row in rows:
                await repo.record_attempt(
                    conn, row.id, row.attempts, row.updated_at,
                    handed_over=row.state == "unknown", outcome="recovered",
                    detail=row.last_error,
                )  # fmt: skip
        if rows:
            log.warning("recovered abandoned attempts", extra={"count": len(rows)})
        return len(rows)

    async def update_gauges(self) -> None:
        async with self.engine.connect() as conn:
            counts = await repo.count_by_state(conn)
            invoices = await recipients_repo.count_by_state(conn)
        for state in STATES:
            MESSAGES.labels(state).set(counts.get(state, 0))
        for state in INVOICE_EMAIL_STATES:
            INVOICE_EMAILS.labels(state).set(invoices.get(state, 0))
