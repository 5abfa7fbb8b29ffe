"""Guessing public strings is slowed down: an address that asked for too many strings that do
not exist, recently, is answered 429 for a while (in memory, per process, like login
throttling). Authentication strings are 160-bit hashes, so guessing one is hopeless anyway; the
limit keeps the search from being used as an oracle or a cheap load generator."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from kit.errors import TooManyRequests


class MissLimiter:
    def __init__(
        self,
        max_misses: int,
        window_s: float,
        *,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_misses = max_misses
        self.window_s = window_s
        self._max_addresses = max_addresses  # bounds memory under a flood of addresses
        self._clock = clock
        self._misses: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._misses.get(address, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def check(self, address: str) -> None:
        """``TooManyRequests`` (with Retry-After) once ``address`` has used up its misses."""
        now = self._clock()
        times = self._recent(address, now)
        if len(times) >= self.max_misses:
            wait = max(1, int(self.window_s - (now - times[0])))
            raise TooManyRequests.after(
                wait, el="αναζητήσεις χωρίς αποτέλεσμα", en="searches that found nothing"
            )

    def missed(self, address: str) -> None:
        now = self._clock()
        times = self._recent(address, now)
        times.append(now)
        self._misses[address] = times
        self._misses.move_to_end(address)
        while len(self._misses) > self._max_addresses:
            self._misses.popitem(last=False)
