"""What the scenarios load: a URL plus the headers each request carries (one or many callers)."""

from __future__ import annotations

import asyncio
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.platform import body, openload, wrkload

# Every request of a run needs its own aa; each measurement takes a fresh block of numbers.
_blocks = itertools.count(1)
BLOCK = 10_000_000


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    callers: list[dict[str, str]]
    parts: list[bytes] = field(default_factory=lambda: body.template(body.run_series()))


@dataclass(frozen=True)
class Sample:
    """One measurement of one target: closed-model throughput or open-model latency."""

    rps: float
    p50_ms: float
    p99_ms: float
    failed: int
    requests: int


async def closed(target: Target, connections: int, duration_s: int) -> Sample:
    start = next(_blocks) * BLOCK
    result = await asyncio.to_thread(
        wrkload.run,
        target.url,
        target.parts,
        target.callers,
        start=start,
        connections=connections,
        duration_s=duration_s,
    )
    return Sample(result.rps, result.p50_ms, result.p99_ms, result.failed, result.requests)


async def opened(target: Target, rate: float, duration_s: int) -> Sample:
    start = next(_blocks) * BLOCK
    out = await asyncio.to_thread(
        openload.run,
        target.url,
        target.parts,
        target.callers,
        rate=rate,
        duration_s=duration_s,
        start=start,
    )
    done = len(out.latencies_ms)
    return Sample(
        rps=done / duration_s,
        p50_ms=openload.percentile(out.latencies_ms, 50),
        p99_ms=openload.percentile(out.latencies_ms, 99),
        failed=out.failed,
        requests=done + out.failed,
    )


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")
