"""Per-customer token bucket, in process (each gateway process enforces its own share)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.rate_per_s = rate_per_s
        self.burst = float(burst)
        self._clock = clock
        self._max_keys = max_keys
        # key -> (tokens left, when they were counted)
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str) -> int:
        """Take one token; 0 when allowed, else whole seconds to wait (for ``Retry-After``)."""
        now = self._clock()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate_per_s)
        if tokens >= 1.0:
            self._remember(key, (tokens - 1.0, now))
            return 0
        self._remember(key, (tokens, now))
        return max(1, math.ceil((1.0 - tokens) / self.rate_per_s))

    def _remember(self, key: str, bucket: tuple[float, float]) -> None:
        if len(self._buckets) >= self._max_keys and key not in self._buckets:
            # A forgotten customer starts again with a full bucket: harmless, and memory stays
            # bounded however many customers pass through.
            self._buckets.pop(next(iter(self._buckets)))
        self._buckets[key] = bucket
