"""Work the admin app starts and does not wait for (a tenant database being created, "resend
all"): one task per key at a time, each failure logged, every task cancelled at shutdown.

Each job keeps its own progress in the catalog (the placement's status and step, the resend
job's record), which is what the pages poll; a task cancelled by a shutdown leaves that record
for ``resume-provisioning`` or the next start to finish.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from kit.tasks import cancel_and_wait

log = logging.getLogger("tenant_admin.background")


class BackgroundJobs:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def running(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    def start(self, key: str, work: Callable[[], Awaitable[None]]) -> bool:
        """Run ``work`` unless a job with ``key`` still runs; False when it does."""
        if self.running(key):
            return False
        task = asyncio.get_running_loop().create_task(self._logged(key, work), name=key)
        self._tasks[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return True

    async def wait(self, key: str) -> None:
        """Until the job with ``key`` has ended (tests and the CLI)."""
        task = self._tasks.get(key)
        if task is not None:
            await asyncio.wait([task])

    async def stop(self) -> None:
        tasks, self._tasks = list(self._tasks.values()), {}
        for task in tasks:
            await cancel_and_wait(task)

    def _forget(self, key: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]

    @staticmethod
    async def _logged(key: str, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception:  # the job's own record says what failed; this keeps the trace
            log.exception("background job failed", extra={"job": key})
