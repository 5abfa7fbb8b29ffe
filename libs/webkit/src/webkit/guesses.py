"""Guessing public strings is slowed down: an address that asked for too many strings that do
not exist, recently, is answered 429 for a while (in memory, per process, like login
throttling). Authentication strings are 160-bit hashes, so guessing one is hopeless anyway; the
limit keeps the search from being used as an oracle or a cheap load generator."""

from __future__ import annotations

import time
from collections.abc import Callable

from kit.window import SlidingWindow


class MissLimiter:
    def __init__(
        self,
        max_misses: int,
        window_s: float,
        *,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._misses = SlidingWindow(max_misses, window_s, max_keys=max_addresses, clock=clock)

    def check(self, address: str) -> None:
        """``TooManyRequests`` (with Retry-After) once ``address`` has used up its misses."""
        self._misses.check(
            address, el="αναζητήσεις χωρίς αποτέλεσμα", en="searches that found nothing"
        )

    def missed(self, address: str) -> None:
        self._misses.add(address)
