"""A small per-process circuit breaker in front of myDATA.

Why: when myDATA is down every call would wait for its timeout; with the breaker open the RPC
answers "deferred" at once (the invoice gets its temporary string) and the sweep retries later.

States: **closed** (calls go through) → **open** after ``failure_threshold`` consecutive technical
failures (a call still unanswered after the caller's slow-call limit counts as one: a hanging
myDATA opens the breaker within seconds, not after its timeout), or
``connect_failure_threshold`` consecutive failures to even connect (a burst of refused or
connect-timeout calls is a clear sign, no need to wait for more) → after ``cooldown_s``
**half-open**: exactly ONE probe call is let through; its success closes the breaker, its failure
opens it again for another cool-down. Business answers (even rejections) count as success: myDATA
answered. Per process on purpose: no shared state to fail, and each process learns within a few
calls.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from enum import IntEnum


class BreakerState(IntEnum):
    # Values are the Prometheus gauge's.
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


StateListener = Callable[[BreakerState], None]


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        connect_failure_threshold: int = 2,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        on_change: StateListener | None = None,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.connect_failure_threshold = connect_failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._on_change = on_change
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._connect_failures = 0
        self._opened_at = 0.0
        self._probe_out = False
        self._opened: asyncio.Event | None = None  # made on first use, in the running loop
        # Wall-clock times of the last verdicts, for the status ERPs show during an outage.
        self.last_success_at: float | None = None
        self.last_failure_at: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._state is BreakerState.OPEN and self._cooled_down():
            return BreakerState.HALF_OPEN
        return self._state

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self.cooldown_s

    def allow(self) -> bool:
        """May a call go out now? In half-open, True exactly once until that probe reports."""
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN and self._cooled_down():
            self._set(BreakerState.HALF_OPEN)
        if self._state is BreakerState.HALF_OPEN and not self._probe_out:
            self._probe_out = True
            return True
        return False

    def record_success(self) -> None:
        self.last_success_at = time.time()
        self._failures = self._connect_failures = 0
        self._probe_out = False
        self._set(BreakerState.CLOSED)

    def record_failure(self, *, connect: bool = False) -> None:
        self.last_failure_at = time.time()
        self._failures += 1
        self._connect_failures = self._connect_failures + 1 if connect else 0
        if self._state is BreakerState.HALF_OPEN or self._tripped():
            self._open()

    def release(self) -> None:
        """A probe ended without a verdict (cancelled): let another probe through."""
        self._probe_out = False

    def _tripped(self) -> bool:
        return (
            self._failures >= self.failure_threshold
            or self._connect_failures >= self.connect_failure_threshold
        )

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._probe_out = False
        self._set(BreakerState.OPEN)
        if self._opened is not None:
            self._opened.set()

    async def wait_open(self) -> None:
        """Until the breaker opens (callers waiting on a hanging myDATA give up then)."""
        if self._opened is None:
            self._opened = asyncio.Event()
        if self._state is BreakerState.OPEN:
            return
        self._opened.clear()
        await self._opened.wait()

    def _set(self, state: BreakerState) -> None:
        changed = state is not self._state
        self._state = state
        if changed and self._on_change is not None:
            self._on_change(state)
