"""The gateway's in-process pieces on their own: token cache, rate limiter, internal tokens."""

from __future__ import annotations

import asyncio

import pytest

from api_gateway.auth.cache import TokenStatusCache
from api_gateway.auth.schemas import TokenRecord
from api_gateway.limits.ratelimit import RateLimiter

GOOD = TokenRecord(customer_id="c1", token_hash="h", revoked=False, expires_at=2e9)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_cache_hits_expire_and_single_flight() -> None:
    loads: list[str] = []
    gate = asyncio.Event()

    async def load(jti: str) -> TokenRecord:
        loads.append(jti)
        await gate.wait()
        return GOOD

    clock = Clock()
    cache = TokenStatusCache(load, ttl_s=30, max_entries=10, clock=clock)
    waiting = [asyncio.ensure_future(cache.get("j1")) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == [GOOD] * 5
    assert loads == ["j1"]  # five concurrent misses, one catalog read
    clock.now += 29
    assert await cache.get("j1") == GOOD and loads == ["j1"]
    clock.now += 2
    await cache.get("j1")
    assert loads == ["j1", "j1"]


async def test_revocation_during_a_load_wins() -> None:
    gate = asyncio.Event()

    async def load(_: str) -> TokenRecord:
        await gate.wait()
        return GOOD  # read before the revocation committed

    cache = TokenStatusCache(load, ttl_s=30, max_entries=10)
    pending = asyncio.ensure_future(cache.get("j1"))
    await asyncio.sleep(0)
    cache.revoke("j1")
    gate.set()
    assert (await pending).revoked
    assert (await cache.get("j1")).revoked


async def test_unknown_tokens_are_cached_as_revoked_and_size_is_bounded() -> None:
    async def load(_: str) -> None:
        return None

    cache = TokenStatusCache(load, ttl_s=30, max_entries=3)
    for i in range(10):
        assert (await cache.get(f"j{i}")).revoked
    assert len(cache) == 3


async def test_load_errors_propagate_and_are_not_cached() -> None:
    calls = 0

    async def load(_: str) -> TokenRecord:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionRefusedError("catalog down")
        return GOOD

    cache = TokenStatusCache(load, ttl_s=30, max_entries=3)
    with pytest.raises(ConnectionRefusedError):
        await cache.get("j1")
    assert await cache.get("j1") == GOOD


def test_token_bucket() -> None:
    clock = Clock()
    limiter = RateLimiter(rate_per_s=2, burst=3, clock=clock)
    assert [limiter.acquire("c") for _ in range(3)] == [0, 0, 0]
    assert limiter.acquire("c") == 1  # 0.5 s until the next token, rounded up
    assert limiter.acquire("other") == 0  # buckets are per customer
    clock.now += 0.5
    assert limiter.acquire("c") == 0
    slow = RateLimiter(rate_per_s=0.1, burst=1, clock=clock)
    slow.acquire("c")
    assert slow.acquire("c") == 10
