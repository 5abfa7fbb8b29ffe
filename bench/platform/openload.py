"""Open-model load: requests leave on a fixed schedule whatever the answers do.

Request k is due at ``t0 + k / rate``; its latency is measured from that due time, not from
when it was actually sent, so a stalled server (or a stalled generator) shows up in the
percentiles instead of silently lowering the offered load (coordinated omission). Several
processes share the schedule (process i sends k ≡ i mod n) when one core cannot keep up; each
reports how late it sent (``lag``) so the generator's own ceiling is visible.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import aiohttp
import uvloop

ANSWER_TIMEOUT_S = 30.0
MAX_SOCKETS = 512


@dataclass(frozen=True)
class Job:
    url: str
    parts: list[bytes]
    callers: list[dict[str, str]]
    rate: float  # requests/s over all processes
    duration_s: float
    start: int  # first aa number
    t0: float  # wall-clock start shared by all processes
    index: int
    processes: int


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    lags_ms: list[float] = field(default_factory=list)
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


async def _one(session: aiohttp.ClientSession, job: Job, k: int, due: float, out: Outcome) -> None:
    caller = job.callers[k % len(job.callers)]
    body = str(job.start + k).encode().join(job.parts)
    headers = {"Content-Type": "application/json", **caller}
    try:
        async with session.post(job.url, data=body, headers=headers) as response:
            await response.read()
            out.statuses[response.status] = out.statuses.get(response.status, 0) + 1
            if response.status != 200:
                out.failed += 1
                return
    except (aiohttp.ClientError, TimeoutError):
        out.failed += 1
        return
    out.latencies_ms.append((time.time() - due) * 1000)


async def _drive(job: Job) -> Outcome:
    out = Outcome()
    total = int(job.rate * job.duration_s)
    timeout = aiohttp.ClientTimeout(total=ANSWER_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=MAX_SOCKETS)
    tasks: set[asyncio.Task[None]] = set()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for k in range(job.index, total, job.processes):
            due = job.t0 + k / job.rate
            delay = due - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            out.lags_ms.append(max(0.0, (time.time() - due) * 1000))
            task = asyncio.create_task(_one(session, job, k, due, out))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:  # every request has a timeout, so this ends
            await asyncio.wait(set(tasks))
    return out


def _process_main(job: Job) -> Outcome:
    return uvloop.run(_drive(job))


def run(
    url: str,
    parts: Sequence[bytes],
    callers: Sequence[Mapping[str, str]],
    *,
    rate: float,
    duration_s: float,
    start: int,
    processes: int = 1,
) -> Outcome:
    """Offer ``rate`` requests/s for ``duration_s``; bounded by the answer timeout."""
    t0 = time.time() + 1.0  # every process is up before the first due time
    jobs = [
        Job(url, list(parts), [dict(c) for c in callers], rate, duration_s, start, t0, i, processes)
        for i in range(processes)
    ]
    if processes == 1:
        return _process_main(jobs[0])
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_process_main, jobs)
    merged = Outcome()
    for part in results:
        merged.latencies_ms += part.latencies_ms
        merged.lags_ms += part.lags_ms
        merged.failed += part.failed
        for status, count in part.statuses.items():
            merged.statuses[status] = merged.statuses.get(status, 0) + count
    return merged


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]
