"""In-memory login throttling per username and per client address.

Per process on purpose: it slows guessing down without a shared store; a failure counts
against both keys, so spraying one password over many usernames from one address is slowed too.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from kit.errors import TooManyRequests


class LoginThrottle:
    def __init__(self, max_failures: int, window_seconds: int, max_keys: int = 10_000) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.max_keys = max_keys  # bounds memory under a flood of distinct keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, *keys: str) -> None:
        """Raise ``TooManyRequests`` (with Retry-After) if any key is over its budget."""
        now = time.monotonic()
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.max_failures:
                wait = max(1, int(self.window - (now - times[0])))
                raise TooManyRequests(
                    "too many failed logins; try again later",
                    headers={"Retry-After": str(wait)},
                )

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def succeeded(self, username_key: str) -> None:
        self._failures.pop(username_key, None)
