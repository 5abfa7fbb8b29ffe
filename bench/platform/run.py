"""Platform benchmarks: the system under test and its bare baselines in one run.

    python -m bench.platform.run [--duration 8] [--repeats 3] [--connections 32]
                                [--customers 50] [--only T1,T3,T9,T8,outage]

Starts the whole platform as subprocesses (``testkit.procs.Platform``: throwaway databases and
vhost on the local PostgreSQL and RabbitMQ) next to the baselines B0/B1/B2 (``baseline.py``),
runs every scenario alternately with its baseline ``--repeats`` times and writes the table,
``bench/results/platform-<time>.json`` and ``.png`` (also as ``platform-latest.*``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shlex
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

from bench.platform import baseline, cpu, infra, report
from bench.platform.customers import create_customers
from bench.platform.results import Row, log
from bench.platform.scenarios import SCENARIOS, Bench
from kit.auth import TokenCodec, internal_audience
from kit.settings import CommonSettings
from mydata_sync.settings import MydataSyncSettings
from testkit.procs import Customer, Platform, PlatformOptions

RESULTS = infra.HERE.parent / "results"
# The per-customer rate limit (50/s by default) would cap every one-customer scenario at 50
# req/s: the benchmark measures the platform's capacity, not the limit.
PLATFORM_ENV = {
    "api-gateway": {"EINV_RATE_LIMIT_PER_S": "1000000", "EINV_RATE_LIMIT_BURST": "1000000"},
    # myDATA's own CPU is not the platform's: aade-sim skips its XSD check (it still parses,
    # applies the rules and answers as myDATA does). Its CPU is reported apart.
    "aade-sim": {"EINV_AADE_SIM_BENCH": "1"},
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32, help="closed-model connections")
    parser.add_argument("--customers", type=int, default=500, help="customers in T9")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios to run")
    return parser.parse_args()


@contextlib.contextmanager
def baselines(dsn: str, amqp_url: str) -> Iterator[tuple[dict[str, str], dict[str, int]]]:
    """The baselines' URLs and process ids, by mode (b0, b1, b2)."""
    ports = {mode: infra.free_port() for mode in ("b0", "b1", "b2")}
    module = ["-m", "bench.platform.baseline"]
    with contextlib.ExitStack() as stack:
        pids = {}
        for mode, port in ports.items():
            args = [*module, mode, str(port), dsn, amqp_url]
            pids[mode] = stack.enter_context(infra.process(args, port)).pid
        yield {mode: f"http://127.0.0.1:{port}" for mode, port in ports.items()}, pids


def cpu_groups(platform: Platform, baseline_pids: dict[str, int]) -> dict[str, cpu.Group]:
    """What CPU is counted for: each service, each baseline, PostgreSQL and RabbitMQ."""
    groups = [cpu.Group(name, pgid=pgid) for name, pgid in platform.process_groups().items()]
    groups += [cpu.Group(mode.upper(), pid=pid) for mode, pid in baseline_pids.items()]
    groups += [cpu.Group(name, comms=comms) for name, comms in cpu.SERVERS.items()]
    return {g.name: g for g in groups}


def internal_tokens(customers: list[Customer]) -> dict[str, str]:
    """What the gateway would send: an internal token bound to the tenant and the VAT numbers it
    may issue under (long enough to last)."""
    settings = CommonSettings()
    audience = internal_audience("invoice-service")
    codec = TokenCodec(settings.internal_token_secret, settings.token_issuer, audience)
    return {
        c.tenant_id: codec.issue("api-gateway", 3600, tid=c.tenant_id, vats=[c.vat])[0]
        for c in customers
    }


@contextlib.asynccontextmanager
async def bench_setup(args: argparse.Namespace, chosen: list[str]) -> AsyncIterator[Bench]:
    options = PlatformOptions(env=PLATFORM_ENV)
    async with Platform(options) as platform, infra.throwaway_database() as dsn:
        await baseline.prepare(dsn)
        count = args.customers if "T9" in chosen else 1
        customers, provisioning = await create_customers(platform, count)
        with baselines(dsn, platform.amqp_url) as (urls, pids):
            yield Bench(
                platform, customers, urls["b0"], urls["b1"], urls["b2"],
                internal_tokens(customers), args.connections, args.duration, args.repeats,
                MydataSyncSettings().mydata_max_in_flight,
                meta={"breaker_cooldown_s": MydataSyncSettings().breaker_cooldown_s},
                cpu=cpu_groups(platform, pids), provisioning=provisioning,
            )  # fmt: skip


async def run_all(args: argparse.Namespace) -> tuple[list[Row], dict[str, object]]:
    chosen = [s for s in args.only.split(",") if s in SCENARIOS]
    rows: list[Row] = []
    async with bench_setup(args, chosen) as bench:
        if "T3" in chosen or "outage" in chosen:
            chosen = ["T1", *[s for s in chosen if s != "T1"]]  # they need the gateway's maximum
        for name in [s for s in SCENARIOS if s in chosen]:
            before = infra.load_average()
            log(f"{name} (load average {before:.1f})")
            rows += await SCENARIOS[name](bench)
            bench.meta[f"load_{name}"] = f"{before:.1f} -> {infra.load_average():.1f}"
        return rows, bench.meta


def describe_run(args: argparse.Namespace, started: float) -> dict[str, object]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "command": "make bench  # = python -m bench.platform.run " + shlex.join(sys.argv[1:]),
        "commit": commit,
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "minutes": round((time.time() - started) / 60, 1),
        "cpus": os.cpu_count(),
        "load_average_end": [round(x, 1) for x in os.getloadavg()],
        "settings": vars(args),
        "platform_env": PLATFORM_ENV,
    }


def main() -> None:
    args = parse_args()
    started = time.time()
    rows, meta = asyncio.run(run_all(args))
    meta = describe_run(args, started) | meta
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    for name in (f"platform-{stamp}", "platform-latest"):
        report.write_json(RESULTS / f"{name}.json", rows, meta)
        report.chart(RESULTS / f"{name}.png", rows, f"{meta['command']} · {meta['started']}")
    print(report.table(rows))
    print(f"\nload average at the end {meta['load_average_end']}; per scenario:", end=" ")
    loads = {k[5:]: v for k, v in meta.items() if k.startswith("load_") and "end" not in k}
    per_scenario = [f"{k} {v}" for k, v in loads.items()]
    print(", ".join(per_scenario))
    print(f"results: {RESULTS}/platform-{stamp}.json and .png; reproduce: {meta['command']}")


if __name__ == "__main__":
    main()
