"""The scenarios T1, T2, T3, T8, T9 and the outage, each against its baseline in the same run."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg

from bench.platform import cpu, infra, openload, targets
from bench.platform.customers import CONCURRENCY, Provisioning
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
    cpu: dict[str, cpu.Group] = field(default_factory=dict)
    provisioning: Provisioning = field(default_factory=Provisioning)

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
    usage = Usage(bench)
    measures = [
        ("gateway", usage.metered("gateway", bench.closed(gateway)[1])),
        bench.closed(direct),
        ("B2", usage.metered("B2", bench.closed(b2)[1])),
        bench.closed(b1),
    ]
    runs = await alternate(measures, bench.repeats)
    bench.gateway_max_rps = median(values(runs["gateway"]))
    absolute = {k: values(v) for k, v in runs.items()}
    return [
        Row("T1", "gateway POST / B2 (throughput)", "x", ">=", 0.50,
            ratios(runs["gateway"], runs["B2"]), absolute),
        Row("T1", "gateway POST / B1 (information)", "x", ">=", 0.0,
            ratios(runs["gateway"], runs["B1"]), absolute),
        Row("T2", "gateway / straight to invoice-service", "x", ">=", 0.80,
            ratios(runs["gateway"], runs["invoice-service"]), absolute),
        *usage.rows(),
    ]  # fmt: skip


# Not the platform's CPU: myDATA's (its stand-in), the load generator's, the baselines'.
NOT_PLATFORM = {"aade-sim", "B0", "B1", "B2"}
SERVERS = set(cpu.SERVERS)


class Usage:
    """CPU per request of the gateway runs and of B2's, and the services' RSS after each run."""

    def __init__(self, bench: Bench, names: tuple[str, ...] = ("gateway", "B2")) -> None:
        self.meter = cpu.CpuMeter(list(bench.cpu.values()))
        self.per_request: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        self.rss: list[dict[str, float]] = []

    def compare(self, a: str, b: str) -> str:
        """Per process, the median CPU ms per request of run ``a`` → run ``b``."""
        ma, mb = _medians(self.per_request[a]), _medians(self.per_request[b])
        names = sorted(set(ma) - NOT_PLATFORM, key=lambda k: -ma.get(k, 0.0))
        return ", ".join(f"{k} {ma.get(k, 0):.2f} vs {mb.get(k, 0):.2f}" for k in names)

    def metered(self, name: str, measure: Measure) -> Measure:
        async def run() -> Sample:
            sample, used = await self.meter.around(measure)
            served = max(1, sample.requests - sample.failed)
            self.per_request[name].append({k: 1000 * v / served for k, v in used.items()})
            if name == "gateway":
                self.rss.append(cpu.rss_mb(self.meter.groups))
            return sample

        return run

    def rows(self) -> list[Row]:
        if not self.meter.groups:
            return []
        platform = [_sum(ms, _platform_names(ms)) for ms in self.per_request["gateway"]]
        b2 = [_sum(ms, {"B2", *SERVERS}) for ms in self.per_request["B2"]]
        breakdown = _medians(self.per_request["gateway"])
        note = (
            "CPU ms per issued invoice (median): "
            + ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(breakdown.items(), key=lambda kv: -kv[1]) if v
            )
            + f"; B2 per request: {median(b2):.2f} ms (its process + postgres + rabbitmq)"
        )
        growth = _rss_growth(self.rss)
        rss_note = (
            "RSS MB after each T1 gateway run: "
            + "; ".join(
                f"{k} {' → '.join(f'{r[k]:.0f}' for r in self.rss)}"
                for k in sorted(self.rss[0])
                if k not in NOT_PLATFORM
            )
            if self.rss
            else ""
        )
        return [
            Row("CPU", "CPU per invoice, platform ÷ B2 per request", "x", "<=", 2.5,
                [p / b for p, b in zip(platform, b2, strict=True)],
                {"platform ms": [round(p, 2) for p in platform],
                 "B2 ms": [round(b, 2) for b in b2]}, note),
            Row("RSS", "largest RSS growth first → last T1 run", "x", "<=", 1.10,
                [growth], {}, rss_note),
        ]  # fmt: skip


def _platform_names(used: dict[str, float]) -> set[str]:
    return {k for k in used if k not in NOT_PLATFORM}


def _sum(used: dict[str, float], names: set[str]) -> float:
    return sum(v for k, v in used.items() if k in names)


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    names = {k for run in runs for k in run if k not in {"B0", "B1", "B2"}}
    return {k: median([run.get(k, 0.0) for run in runs]) for k in names}


def _rss_growth(rss: list[dict[str, float]]) -> float:
    if len(rss) < 2:
        return 1.0
    first, last = rss[0], rss[-1]
    names = [k for k in first if k not in NOT_PLATFORM and k not in SERVERS and first[k]]
    return max((last.get(k, 0.0) / first[k] for k in names), default=1.0)


def provisioning_rows(bench: Bench) -> list[Row]:
    done = bench.provisioning
    if done.count < 2:
        return []
    each = sorted(done.each_s)
    note = (
        f"{done.count} customers through POST /admin/tenants, {CONCURRENCY} at a time:"
        f" {done.total_s:.0f} s in total; per customer median {each[len(each) // 2]:.2f} s,"
        f" slowest {each[-1]:.2f} s"
    )
    per_customer = done.total_s / done.count
    return [
        Row("P", f"provisioning {done.count} customers, seconds per customer", "s", "<=",
            300 / 500, [per_customer], {"total s": [round(done.total_s, 1)]}, note),
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
    """T9: many customers (500 by default) round-robin vs one customer; PostgreSQL connections
    watched meanwhile; how long provisioning them took."""
    label = f"{len(bench.customers)} customers"
    one, many = bench.gateway(name="one customer"), bench.gateway(bench.customers, label)
    await warm_up(bench, many)
    usage = Usage(bench, (label, "one customer"))
    measures = [(name, usage.metered(name, bench.closed(t)[1])) for name, t in
                (("one customer", one), (label, many))]  # fmt: skip
    async with _watch_connections(bench) as peak:
        runs = await alternate(measures, bench.repeats)
    ours, total, limit = peak
    absolute = {k: values(v) for k, v in runs.items()}
    note = (
        f"{len(bench.customers)} customers; peak PostgreSQL connections: platform {ours[0]},"
        f" whole server {total[0]} (shared with other test runs), max_connections {limit[0]};"
        f" CPU ms per invoice by process (median), {label} vs one customer: "
        + usage.compare(label, "one customer")
    )
    return [
        Row("T9", f"{len(bench.customers)} customers / one customer", "x", ">=", 0.80,
            ratios(runs[label], runs["one customer"]), absolute, note),
        Row("T9", "peak platform connections / max_connections", "x", "<=", 0.80,
            [ours[0] / limit[0]], {}, note),
        *provisioning_rows(bench),
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
    """POST p99 with aade-sim blackholed vs healthy, at the same offered rate (open model). The
    blackholed run starts with the blackhole, so its first seconds (before the breaker opens)
    are in the figure."""
    rate = max(1.0, 0.5 * bench.gateway_max_rps)
    duration = max(bench.duration_s, 10)
    gateway = bench.gateway()
    healthy: list[Sample] = []
    down: list[Sample] = []
    for rep in range(bench.repeats):
        healthy.append(await opened(gateway, rate, duration))
        await bench.platform.aade_fault("blackhole")
        try:
            down.append(await opened(gateway, rate, duration))
        finally:
            await bench.platform.aade_fault("none")
        log(
            f"  outage rep {rep + 1}: healthy p99 {healthy[-1].p99_ms:.0f} ms, blackholed p99"
            f" {down[-1].p99_ms:.0f} ms from the first second, p50 {down[-1].p50_ms:.0f} ms"
        )
        if rep + 1 < bench.repeats:
            await _breaker_closed(bench)
    note = (
        f"open model at {rate:.1f} req/s for {duration} s from the moment of the blackhole"
        " (its first seconds included)"
    )
    absolute = {
        "healthy p99_ms": values(healthy, "p99_ms"),
        "blackholed p99_ms": values(down, "p99_ms"),
    }
    return [
        Row("outage", "POST p99 blackholed (from its first second) / healthy", "x", "<=", 2.0,
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
