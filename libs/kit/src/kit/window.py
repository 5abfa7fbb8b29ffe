"""Events per key in a sliding window, in memory, bounded in keys: what login throttling
(tenant-admin) and the portal's limit on failed searches (webkit.guesses) both count."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from kit.errors import TooManyRequests


class SlidingWindow:
    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._max_keys = max_keys  # bounds memory under a flood of distinct keys
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._events.get(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` is under its limit again; None when it is now."""
        now = self._clock()
        times = self._recent(key, now)
        if len(times) < self.limit:
            return None
        return max(1, int(self.window_s - (now - times[0])))

    def check(self, key: str, message: str = "", *, el: str = "", en: str = "") -> None:
        """``TooManyRequests`` with Retry-After once ``key`` used up its limit; ``message``
        replaces the standard words, else ``el``/``en`` name what was limited."""
        wait = self.retry_after(key)
        if wait is None:
            return
        if message:
            raise TooManyRequests(message, headers={"Retry-After": str(wait)})
        raise TooManyRequests.after(wait, el=el, en=en)

    def add(self, key: str) -> None:
        now = self._clock()
        times = self._recent(key, now)
        times.append(now)
        self._events[key] = times
        self._events.move_to_end(key)
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)

    def forget(self, key: str) -> None:
        self._events.pop(key, None)

    def __len__(self) -> int:
        return len(self._events)
