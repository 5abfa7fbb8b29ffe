"""A bounded buffer of calls to record and the task that writes them to the catalog in batches.

Never on the request's critical path: ``offer`` only appends to memory; when the buffer holds
its byte budget the call is dropped and counted (``api_call_log_dropped_total``), so a slow or
absent catalog never slows the ERP down. A failed batch is dropped and counted too. At shutdown
what is buffered is written once, within a bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import Counter

from kit.tasks import cancel_and_wait

log = logging.getLogger("api_gateway.calllog")

DROPPED = Counter(
    "api_call_log_dropped_total", "Logged API calls not recorded", ["reason"]
)  # reason: buffer_full, write_failed
WRITTEN = Counter("api_call_log_written_total", "Logged API calls written to the catalog")
BATCH = 200
LINGER_S = 0.5  # how long a batch waits for company once its first call arrived
CLOSE_WITHIN_S = 5.0
ENTRY_OVERHEAD = 300  # bytes of an entry besides its bodies (an estimate, for the budget)


@dataclass(frozen=True, slots=True)
class CallEntry:
    customer_id: str
    at: datetime
    method: str
    path: str
    query: str
    status: int
    latency_ms: float
    request_id: str | None
    request_body: str
    response_body: str

    @property
    def size(self) -> int:
        return ENTRY_OVERHEAD + len(self.request_body) + len(self.response_body)

    def row(self) -> tuple[object, ...]:
        return (
            self.customer_id, self.at, self.method, self.path, self.query, self.status,
            self.latency_ms, self.request_id, self.request_body, self.response_body,
        )  # fmt: skip


Writer = Callable[[list[tuple[object, ...]]], Awaitable[None]]


class CallRecorder:
    def __init__(self, write: Writer, *, budget_bytes: int) -> None:
        self._write = write
        self._budget = budget_bytes
        self._held = 0
        self._queue: asyncio.Queue[CallEntry] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @property
    def held_bytes(self) -> int:
        return self._held

    def offer(self, entry: CallEntry) -> bool:
        """Buffer ``entry`` for writing; False (and counted) when the buffer is full."""
        if self._held + entry.size > self._budget:
            DROPPED.labels("buffer_full").inc()
            return False
        self._held += entry.size
        self._queue.put_nowait(entry)
        return True

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="call-log")

    async def close(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_WITHIN_S):
                while not self._queue.empty():
                    await self._flush(self._take(BATCH))

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LINGER_S):
                    while len(batch) < BATCH:
                        batch.append(await self._queue.get())
            await self._flush(batch)

    def _take(self, most: int) -> list[CallEntry]:
        taken: list[CallEntry] = []
        while len(taken) < most and not self._queue.empty():
            taken.append(self._queue.get_nowait())
        return taken

    async def _flush(self, batch: list[CallEntry]) -> None:
        try:
            await self._write([entry.row() for entry in batch])
            WRITTEN.inc(len(batch))
        except Exception as exc:  # the catalog's trouble must not stop the next batches
            DROPPED.labels("write_failed").inc(len(batch))
            log.warning("call log batch lost", extra={"calls": len(batch), "error": repr(exc)})
        finally:
            self._held -= sum(entry.size for entry in batch)
