"""The scenarios T1, T2, T3, T8, T9 and the outage, each against its baseline in the same run."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg

from bench.platform import infra, openload, targets
from bench.platform.results import Measure, Row, alternate, differences, log, ratios, values
from bench.platform.targets import Sample, Target, closed, median, opened
from testkit.procs import Customer, Platform

ISSUE = "/invoice-data"


@dataclass
class Bench:
    platform: Platform
    customers: list[Customer]
    b0: str
    b1: str
    b2: str
    internal_token_for: dict[str, str]
    connections: int
    duration_s: int
    repeats: int
    in_flight_limit: int
    gateway_max_rps: float = 0.0
    meta: dict[str, object] = field(default_factory=dict)

    def gateway(self, customers: list[Customer] | None = None, name: str = "gateway") -> Target:
        chosen = customers or self.customers[:1]
        callers = [{"Authorization": f"Bearer {c.api_token}"} for c in chosen]
        return Target(name, self.platform.gateway_url + ISSUE, callers)

    def direct(self) -> Target:
        customer = self.customers[0]
        headers = {
            "Authorization": f"Bearer {self.internal_token_for[customer.tenant_id]}",
            "X-Tenant-Id": customer.tenant_id,
            "X-Customer-Username": customer.username,
        }
        return Target("invoice-service", self.platform.url("invoice-service") + ISSUE, [headers])

    def baseline(self, name: str, url: str) -> Target:
        return Target(name, url + ISSUE, [{}])

    def closed(self, target: Target) -> tuple[str, Measure]:
        return target.name, lambda: closed(target, self.connections, self.duration_s)


async def warm_up(bench: Bench, *chosen: Target) -> None:
    for target in chosen:
        await closed(target, bench.connections, 2)


async def generator_ceiling(bench: Bench) -> list[Row]:
    """The load generators against B0 (answers at once): what they can offer at all."""
    trivial = bench.baseline("B0", bench.b0)
    wrk = await closed(trivial, bench.connections, 3)
    notes = [f"wrk {wrk.rps:.0f} req/s"]
    for rate in (250, 500, 1000):
        out = await asyncio.to_thread(
            openload.run, trivial.url, trivial.parts, trivial.callers,
            rate=rate, duration_s=3, start=targets.BLOCK,
        )  # fmt: skip
        lag = openload.percentile(out.lags_ms, 99)
        p99 = openload.percentile(out.latencies_ms, 99)
        notes.append(f"open {rate}/s: send-lag p99 {lag:.1f} ms, p99 {p99:.1f} ms")
    log("  generator ceiling: " + "; ".join(notes))
    bench.meta["generator_ceiling"] = notes
    return []


async def throughput(bench: Bench) -> list[Row]:
    """T1 (gateway vs B2, and B1) and T2 (gateway vs invoice-service), alternated together."""
    gateway, direct = bench.gateway(), bench.direct()
    b1, b2 = bench.baseline("B1", bench.b1), bench.baseline("B2", bench.b2)
    await warm_up(bench, gateway, direct, b1, b2)
    runs = await alternate([bench.closed(t) for t in (gateway, direct, b2, b1)], bench.repeats)
    bench.gateway_max_rps = median(values(runs["gateway"]))
    absolute = {k: values(v) for k, v in runs.items()}
    return [
        Row("T1", "gateway POST / B2 (throughput)", "x", ">=", 0.50,
            ratios(runs["gateway"], runs["B2"]), absolute),
        Row("T1", "gateway POST / B1 (information)", "x", ">=", 0.0,
            ratios(runs["gateway"], runs["B1"]), absolute),
        Row("T2", "gateway / straight to invoice-service", "x", ">=", 0.80,
            ratios(runs["gateway"], runs["invoice-service"]), absolute),
    ]  # fmt: skip


async def added_latency(bench: Bench) -> list[Row]:
    """T3: open model at half the gateway's maximum; latency from the scheduled send time."""
    rate = max(1.0, 0.5 * bench.gateway_max_rps)
    gateway, direct = bench.gateway(), bench.direct()
    duration = max(bench.duration_s, 10)
    measures = [(t.name, _opened(t, rate, duration)) for t in (gateway, direct)]
    runs = await alternate(measures, bench.repeats)
    note = f"open model at {rate:.1f} req/s (50% of the gateway's median maximum)"
    absolute = {f"{k} {q}": values(v, q) for k, v in runs.items() for q in ("p50_ms", "p99_ms")}
    g, d = runs["gateway"], runs["invoice-service"]
    return [
        Row("T3", "p50 added by the gateway", "ms", "<=", 1.0,
            differences(g, d, "p50_ms"), absolute, note),
        Row("T3", "p99 added by the gateway", "ms", "<=", 3.0,
            differences(g, d, "p99_ms"), absolute, note),
    ]  # fmt: skip


def _opened(target: Target, rate: float, duration: int) -> Measure:
    return lambda: opened(target, rate, duration)


async def many_customers(bench: Bench) -> list[Row]:
    """T9: 50 customers round-robin vs one customer; PostgreSQL connections watched meanwhile."""
    label = f"{len(bench.customers)} customers"
    one, many = bench.gateway(name="one customer"), bench.gateway(bench.customers, label)
    await warm_up(bench, many)
    async with _watch_connections(bench) as peak:
        runs = await alternate([bench.closed(one), bench.closed(many)], bench.repeats)
    ours, total, limit = peak
    absolute = {k: values(v) for k, v in runs.items()}
    note = (
        f"{len(bench.customers)} customers; peak PostgreSQL connections: platform {ours[0]},"
        f" whole server {total[0]} (shared with other test runs), max_connections {limit[0]}"
    )
    return [
        Row("T9", f"{len(bench.customers)} customers / one customer", "x", ">=", 0.80,
            ratios(runs[label], runs["one customer"]), absolute, note),
        Row("T9", "peak platform connections / max_connections", "x", "<=", 0.80,
            [ours[0] / limit[0]], {}, note),
    ]  # fmt: skip


@contextlib.asynccontextmanager
async def _watch_connections(
    bench: Bench,
) -> AsyncIterator[tuple[list[int], list[int], list[int]]]:
    """Samples pg_stat_activity twice a second; yields [peak ours], [peak total], [limit]."""
    p = bench.platform
    databases = [p.catalog_db, p.sync_db, *(c.database for c in bench.customers)]
    ours, total, limit = [0], [0], [1]
    conn = await asyncpg.connect(infra.SERVER_DSN)

    async def sample() -> None:
        limit[0] = int(await conn.fetchval("SHOW max_connections"))
        while True:
            row = await conn.fetchrow(infra.CONNECTIONS_SQL, databases)
            assert row is not None
            ours[0], total[0] = max(ours[0], row["ours"]), max(total[0], row["total"])
            await asyncio.sleep(0.5)

    task = asyncio.create_task(sample())
    try:
        yield ours, total, limit
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await conn.close()


async def slow_mydata(bench: Bench) -> list[Row]:
    """T8: aade-sim answers after 100 ms; throughput against in-flight limit ÷ 0.1 s."""
    ideal = bench.in_flight_limit / 0.1
    gateway = bench.gateway()
    connections = max(bench.connections, 4 * bench.in_flight_limit)
    await bench.platform.aade_fault("slow", latency_ms=100)
    try:
        samples = [
            await closed(gateway, connections, bench.duration_s) for _ in range(bench.repeats)
        ]
    finally:
        await bench.platform.aade_fault("none")
    for s in samples:
        log(f"  T8 {s.rps:8.1f} req/s  p50 {s.p50_ms:.0f} ms  failed {s.failed}")
    note = (
        f"ideal {ideal:.0f} req/s = EINV_MYDATA_MAX_IN_FLIGHT {bench.in_flight_limit} / 0.1 s;"
        f" {connections} connections"
    )
    return [
        Row("T8", "throughput at 100 ms myDATA / (in-flight limit / 0.1 s)", "x", ">=", 0.80,
            [s.rps / ideal for s in samples], {"gateway": values(samples)}, note),
    ]  # fmt: skip


async def outage(bench: Bench) -> list[Row]:
    """POST p99 with aade-sim blackholed vs healthy, at the same offered rate (open model)."""
    rate = max(1.0, 0.5 * bench.gateway_max_rps)
    duration = max(bench.duration_s, 10)
    gateway = bench.gateway()
    healthy: list[Sample] = []
    down: list[Sample] = []
    primes: list[float] = []
    for rep in range(bench.repeats):
        healthy.append(await opened(gateway, rate, duration))
        await bench.platform.aade_fault("blackhole")
        try:
            primes.append((await opened(gateway, rate, 8)).p99_ms)
            down.append(await opened(gateway, rate, duration))
        finally:
            await bench.platform.aade_fault("none")
        log(
            f"  outage rep {rep + 1}: healthy p99 {healthy[-1].p99_ms:.0f} ms, blackholed p99"
            f" {down[-1].p99_ms:.0f} ms (first 8 s: {primes[-1]:.0f} ms)"
        )
        if rep + 1 < bench.repeats:
            await _breaker_closed(bench)
    note = (
        f"open model at {rate:.1f} req/s; measured after 8 s of blackhole (breaker open);"
        f" p99 of the first 8 s: {', '.join(f'{p:.0f}' for p in primes)} ms"
    )
    absolute = {
        "healthy p99_ms": values(healthy, "p99_ms"),
        "blackholed p99_ms": values(down, "p99_ms"),
    }
    return [
        Row("outage", "POST p99 blackholed / healthy", "x", "<=", 2.0,
            ratios(down, healthy, "p99_ms"), absolute, note),
    ]  # fmt: skip


async def _breaker_closed(bench: Bench) -> None:
    """The next healthy run must not meet an open breaker: wait out its cool-down."""
    cooldown = float(str(bench.meta.get("breaker_cooldown_s", 30)))
    await asyncio.sleep(cooldown + 1)
    await opened(bench.gateway(), 2, 2)  # the half-open probe closes it


SCENARIOS = {
    "G0": generator_ceiling,
    "T1": throughput,  # T1 and T2 share their alternation
    "T3": added_latency,
    "T9": many_customers,
    "T8": slow_mydata,
    "outage": outage,
}
