"""The transactional outbox: messages committed with the change they announce, then relayed.

``add_to_outbox`` writes the message in the caller's transaction, so the message exists if
and only if the change was committed. ``OutboxRelay`` publishes unsent rows with confirms and
sets ``sent_at`` only after the confirm. A crash between the confirm and the update publishes
the row again: delivery is at-least-once and consumers dedupe with ``kit.inbox``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope
from kit._messaging.broker import Broker, envelope_bytes
from kit._messaging.topology import REQUEST_ID_HEADER
from kit.logs import request_id_var
from kit.tasks import cancel_and_wait

log = logging.getLogger("kit.outbox")


async def add_to_outbox(
    conn: AsyncConnection, table: Table, envelope: Envelope, routing_key: str | None = None
) -> None:
    """Insert ``envelope`` into the outbox within the caller's (uncommitted) transaction."""
    await conn.execute(table.insert().values(**outbox_row(envelope, routing_key)))


def outbox_row(envelope: Envelope, routing_key: str | None = None) -> dict[str, Any]:
    """An outbox row's columns for ``envelope`` (also for statements that insert the row
    themselves, such as a hot path's single-statement unit of work)."""
    rid = envelope.request_id or request_id_var.get()
    if rid and envelope.request_id is None:
        # The relay runs later, outside the request: keep the id with the message.
        envelope = envelope.model_copy(update={"request_id": rid})
    return {
        "message_id": envelope.message_id,
        "routing_key": routing_key or envelope.type,
        "body": envelope_bytes(envelope),
        "headers": json.dumps({REQUEST_ID_HEADER: rid}) if rid else None,
    }


async def withdraw(conn: AsyncConnection, table: Table, message_id: str) -> bool:
    """Withdraw a queued message: mark its row sent without publishing it, because its purpose
    was met another way (a command whose synchronous call got an answer). False when a relay
    took it first."""
    c = table.c
    result = await conn.execute(
        update(table)
        .where(c.message_id == message_id, c.sent_at.is_(None))
        .values(sent_at=func.now())
    )
    return bool(result.rowcount)


@dataclass(frozen=True, slots=True)
class RelayResult:
    selected: int
    sent: int
    failed: int


class OutboxRelay:
    """Publishes an outbox table's unsent rows, oldest first, in a background task.

    Several relays (processes) may serve one table: rows are locked with ``FOR UPDATE SKIP
    LOCKED`` for the length of a batch, so each row is handled by one relay at a time. Broker
    or database failures are logged and retried with backoff; the task itself never dies.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        table: Table,
        broker: Broker,
        *,
        batch: int = 100,
        poll_interval: float = 0.5,
        max_backoff: float = 5.0,
        min_age: float = 0.0,
    ) -> None:
        self.engine = engine
        self.table = table
        self.broker = broker
        self.batch = batch
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        # Rows younger than this are left alone: their writer may still withdraw them itself
        # (see ``withdraw``), which saves a publish on the happy path.
        self.min_age = min_age
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failures = 0

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"outbox-relay:{self.table.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait(task)

    def notify(self) -> None:
        """Wake the relay now (call right after committing a row) instead of at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                result = await self.relay_once()
            except Exception:
                log.exception("outbox relay pass failed", extra={"table": self.table.name})
                result = None
            await self._pause(self._next_delay(result))

    def _next_delay(self, result: RelayResult | None) -> float:
        if result is None or result.failed:
            self._failures += 1
            return min(self.max_backoff, self.poll_interval * 2.0 ** min(self._failures, 10))
        self._failures = 0
        # A full batch means more rows are probably waiting.
        return 0.0 if result.selected >= self.batch else self.poll_interval

    async def _pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that lands as
        # the event fires (CPython gh-86296), and stop() would then wait forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def relay_once(self) -> RelayResult:
        """Publish one batch of unsent rows; the row locks are held until the batch is marked."""
        async with self.engine.begin() as conn:
            rows = (await conn.execute(self._select_unsent())).all()
            if not rows:
                return RelayResult(0, 0, 0)
            outcomes = await asyncio.gather(*(self._publish(row) for row in rows))
            sent = [row.id for row, ok in zip(rows, outcomes, strict=True) if ok]
            failed = [row.id for row, ok in zip(rows, outcomes, strict=True) if not ok]
            await self._mark(conn, sent, failed)
        return RelayResult(len(rows), len(sent), len(failed))

    def _select_unsent(self) -> Any:
        c = self.table.c
        query = select(c.id, c.message_id, c.routing_key, c.body, c.headers).where(
            c.sent_at.is_(None)
        )
        if self.min_age > 0:
            query = query.where(c.created_at < func.now() - timedelta(seconds=self.min_age))
        return query.order_by(c.id).limit(self.batch).with_for_update(skip_locked=True)

    async def _publish(self, row: Row[Any]) -> bool:
        headers = json.loads(row.headers) if row.headers else None
        try:
            await self.broker.publish_raw(
                row.body, row.routing_key, message_id=row.message_id, headers=headers
            )
        except Exception as exc:  # PublishFailed, or anything else: the row stays unsent
            log.warning(
                "outbox publish failed: %s", exc, extra={"outbox_message_id": row.message_id}
            )
            return False
        return True

    async def _mark(self, conn: AsyncConnection, sent: list[int], failed: list[int]) -> None:
        c = self.table.c
        if sent:
            await conn.execute(update(self.table).where(c.id.in_(sent)).values(sent_at=func.now()))
        if failed:
            stmt = update(self.table).where(c.id.in_(failed)).values(attempts=c.attempts + 1)
            await conn.execute(stmt)
