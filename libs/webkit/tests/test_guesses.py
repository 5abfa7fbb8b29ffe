"""webkit.guesses: misses counted per address in a sliding window, then 429 with Retry-After."""

from __future__ import annotations

import pytest

from kit.errors import TooManyRequests
from webkit.guesses import MissLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_misses_are_counted_per_address_and_forgotten_after_the_window() -> None:
    clock = Clock()
    limiter = MissLimiter(3, 60, clock=clock)
    for _ in range(3):
        limiter.check("a")
        limiter.missed("a")
    with pytest.raises(TooManyRequests) as refused:
        limiter.check("a")
    assert refused.value.headers["Retry-After"] == "60"
    limiter.check("b")  # another address is not affected
    clock.now += 61
    limiter.check("a")  # the window moved on


def test_memory_is_bounded_under_a_flood_of_addresses() -> None:
    limiter = MissLimiter(1, 60, max_addresses=100)
    for n in range(1000):
        limiter.missed(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._misses) == 100  # the oldest addresses went first
