"""Quota statement benchmark: ``catalog.quota.reserve_call`` through asyncpg vs SQLAlchemy Core.

    python bench/quota/run.py [--customers 16] [--reservations 3000] [--repeats 3]

Creates a throwaway catalog database on the test server (``EINV_TEST_PG_DSN``), gives each
customer one large package, and spends calls concurrently (one task per customer) with the same
statement text through each driver, alternating drivers per repetition. Prints medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from catalog.migrate import upgrade
from catalog.quota import RESERVE_CALL, reserve_call
from testkit.postgres import asyncpg_dsn, create_database, drop_database, unique_name

Reserve = Callable[[str], Awaitable[None]]
POOL_SIZE = 4


async def seed(pool: asyncpg.Pool, customers: int) -> list[str]:
    ids = [f"bench{i}" for i in range(customers)]
    for cid in ids:
        await pool.execute(
            "INSERT INTO customers (id, company_name, vat, surname, name, mobile, email)"
            " VALUES ($1, 'Bench', '1', 'B', 'B', '1', 'b@b.gr')",
            cid,
        )
        await pool.execute(
            "INSERT INTO packages (customer_id, starts_at, ends_at, call_limit)"
            " VALUES ($1, now() - interval '1 day', now() + interval '1 day', 100000000)",
            cid,
        )
    return ids


def drivers(pool: asyncpg.Pool, engine: AsyncEngine) -> dict[str, Reserve]:
    core_statement = text(RESERVE_CALL.replace("$1", ":customer"))

    async def via_asyncpg(customer: str) -> None:
        await reserve_call(pool, customer)

    async def via_core(customer: str) -> None:
        async with engine.begin() as conn:
            (await conn.execute(core_statement, {"customer": customer})).scalar_one()

    return {"asyncpg": via_asyncpg, "sqlalchemy-core": via_core}


async def rate(reserve: Reserve, customers: list[str], total: int) -> float:
    async def spend(customer: str) -> None:
        for _ in range(total // len(customers)):
            await reserve(customer)

    started = time.perf_counter()
    await asyncio.gather(*(spend(c) for c in customers))
    return total / (time.perf_counter() - started)


async def run(args: argparse.Namespace) -> None:
    name = unique_name("quota_bench")
    dsn = await create_database(name)
    try:
        await upgrade(dsn)
        pool = await asyncpg.create_pool(asyncpg_dsn(dsn), min_size=POOL_SIZE, max_size=POOL_SIZE)
        engine = create_async_engine(dsn, pool_size=POOL_SIZE, max_overflow=0)
        customers = await seed(pool, args.customers)
        results = await measure(drivers(pool, engine), customers, args)
        await engine.dispose()
        await pool.close()
    finally:
        await drop_database(name)
    print("| driver | reservations/s (median) | runs |\n|---|---:|---|")
    for label, runs in results.items():
        shown = ", ".join(f"{r:.0f}" for r in runs)
        print(f"| {label} | {statistics.median(runs):.0f} | {shown} |")


async def measure(
    by_driver: dict[str, Reserve], customers: list[str], args: argparse.Namespace
) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {label: [] for label in by_driver}
    for rep in range(args.repeats):
        order = list(by_driver) if rep % 2 == 0 else list(reversed(by_driver))
        for label in order:
            results[label].append(await rate(by_driver[label], customers, args.reservations))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=16)
    parser.add_argument("--reservations", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import uvloop

    uvloop.run(run(args))


if __name__ == "__main__":
    main()
