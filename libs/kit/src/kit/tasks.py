"""Background tasks of a service: started by its lifespan, stopped cleanly, never dying quietly.

- ``cancel_and_wait(task)``: the one way a task is stopped (cancel, then wait for it to end).
- ``Periodic``: run a coroutine every ``interval_s`` seconds; a failed pass is logged and the
  loop goes on (a sweep must outlive a database or broker hiccup).
- ``retry_until_done(what, step)``: keep trying a start-up step (migration, broker connection)
  with capped exponential backoff until it succeeds; readiness says what is missing meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

log = logging.getLogger("kit.tasks")

Step = Callable[[], Awaitable[object]]


async def cancel_and_wait(task: asyncio.Task[object] | asyncio.Task[None] | None) -> None:
    """Cancel ``task`` (if any) and wait until it has really ended."""
    if task is None or task.done():
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def cancel_all(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """``cancel_and_wait`` for a group of tasks, cancelled together."""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


# A start-up step that neither succeeds nor fails (a broker handshake or declaration whose
# answer never comes, a half-open connection during a restart) is cut after this and tried
# again, instead of leaving the service unready for good.
ATTEMPT_TIMEOUT_S = 15.0
# A migration may wait for another process's (advisory lock) on a busy machine.
MIGRATION_TIMEOUT_S = 120.0


async def retry_until_done(
    what: str,
    step: Step,
    *,
    first_delay_s: float = 0.2,
    max_delay_s: float = 5.0,
    attempt_timeout_s: float = ATTEMPT_TIMEOUT_S,
) -> None:
    """Run ``step`` until it returns without raising; failures (and attempts that outlast
    ``attempt_timeout_s``) are logged with ``what``."""
    delay = first_delay_s
    while True:
        try:
            async with asyncio.timeout(attempt_timeout_s):
                await step()
            return
        except Exception as exc:  # the step's own failure is the reason to try again
            log.warning("%s failed, retrying in %.1f s: %r", what, delay, exc)
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay_s)


class Periodic:
    """``run_once`` every ``interval_s`` seconds in one background task, until ``stop``."""

    def __init__(self, name: str, run_once: Step, interval_s: float) -> None:
        self.name = name
        self.run_once = run_once
        self.interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait(task)

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # one failed pass must not end the loop
                log.exception("%s: pass failed", self.name)
            await asyncio.sleep(self.interval_s)
