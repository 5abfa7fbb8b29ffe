"""The portal's invoice list with totals on a tenant database holding 1,000,000 invoices.

    .venv/bin/python -m bench.portal.run [--invoices 1000000] [--requests 300] [--repeats 3]

Creates a throwaway tenant database on the test server (``EINV_TEST_PG_DSN``) at the tenant
history's head, fills it with invoices spread over two years (about 1,370 a day; counterparts,
series and loss flags varied) in one set-based INSERT, and times what the portal's "Invoices"
page costs invoice-service, through ``invoice_service.browse`` on a real engine: a filter
change is a page of 10 (keyset) plus the eight totals of the range; "More" is one more page.
The filters mix like an accountant's: the default month (most), a quarter, a year, a
counterpart, a series, a number, the loss filter. A few invoices of today keep today dirty.

Baseline, in the same run and alternated: the same requests with the totals summed from the
invoices themselves at each request (an index-only scan of the covering date index) — what the
list costs without the day roll-up (ADR 0007). Target (issue #8): p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.portal import InvoiceQuery
from invoice_service.browse.service import Browser
from kit.db import create_engine
from tenant_schema.invoices import TOTALS
from tenant_schema.migrate import upgrade
from testkit.postgres import create_database, drop_database, unique_name

TODAY = date(2026, 11, 30)
DAYS = 730
SERIES = ("A", "B", "ΤΠ", "ΤΔΑ", "E2E")
PORTAL_URL = "http://127.0.0.1:8001"

# ``{first}``..``{last}`` invoices, the n-th issued ``n % {days}`` days before today.
FILL = """
INSERT INTO invoices (uid, pnr01, state, transmission_failure, mark, authentication_code,
    temporary_code, issuer_vat, counterpart_vat, series, aa, invoice_type, issue_date,
    total_net, total_vat, total_gross, request, request_xml)
SELECT md5(n::text) || lpad(n::text, 8, '0'), 'ERP-' || n,
       CASE WHEN n % 97 = 0 THEN 'deferred' ELSE 'transmitted' END,
       CASE WHEN n % 53 = 0 THEN 1 WHEN n % 97 = 0 THEN 2 ELSE 0 END,
       (400000000000000 + n)::text, upper(md5('a' || n)), upper(md5('t' || n)), '094420307',
       lpad((100000000 + n % 5000)::text, 9, '0'),
       (ARRAY['A', 'B', 'ΤΠ', 'ΤΔΑ', 'E2E'])[1 + n % 5], n::text, '1.1',
       DATE '2026-11-30' - (n % {days}), 100.00 + n % 1000, 24.00 + n % 240,
       124.00 + n % 1000 + n % 240, jsonb_build_object('cp_name', 'ΠΕΛΑΤΗΣ ' || n % 5000),
       '<InvoicesDoc/>'
  FROM generate_series({first}, {last}) AS n
"""

Totals = Callable[[AsyncEngine, InvoiceQuery], Awaitable[object]]


@dataclass(frozen=True)
class Request:
    query: InvoiceQuery
    pages: int  # 1 = the first page; more = the user pressed "More"


def requests(count: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        start = TODAY - timedelta(days=rng.choice((31, 31, 31, 31, 92, 365)))
        query = InvoiceQuery(date_from=start, date_to=TODAY)
        kind = rng.random()
        if kind < 0.15:
            query = query.model_copy(update={"cp_vat": f"{100000000 + rng.randrange(5000):09d}"})
        elif kind < 0.25:
            query = query.model_copy(update={"series": rng.choice(SERIES)})
        elif kind < 0.30:
            query = query.model_copy(update={"aa": str(rng.randrange(1, 10**6))})
        elif kind < 0.40:
            query = query.model_copy(update={"loss": rng.choice(("erp", "mydata"))})
        out.append(Request(query, pages=rng.choice((1, 1, 1, 2, 3))))
    return out


async def one_view(
    browser: Browser, engine: AsyncEngine, request: Request, totals: Totals
) -> float:
    """A filter change (page + totals), then "More" ``pages - 1`` times; milliseconds."""
    started = time.perf_counter()
    page, _ = await asyncio.gather(
        browser.page(engine, request.query, None, 10), totals(engine, request.query)
    )
    for _ in range(request.pages - 1):
        if page.next_cursor is None:
            break
        page = await browser.page(engine, request.query, page.next_cursor, 10)
    return (time.perf_counter() - started) * 1000


async def raw_totals(engine: AsyncEngine, query: InvoiceQuery) -> object:
    """The baseline: the eight totals summed from the invoices at each request."""
    sums = ", ".join(f"sum(total_{t})" for t in TOTALS)
    sql = f"SELECT count(*), {sums} FROM invoices WHERE issue_date BETWEEN :a AND :b"
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), {"a": query.date_from, "b": query.date_to})).one()


async def measure(engine: AsyncEngine, reqs: list[Request], baseline: bool) -> list[float]:
    browser = Browser(PORTAL_URL)
    totals: Totals = raw_totals if baseline else browser.totals
    return [await one_view(browser, engine, r, totals) for r in reqs]


async def fill(engine: AsyncEngine, first: int, last: int, days: int = DAYS) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(FILL.format(first=first, last=last, days=days)))


async def vacuum(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await auto.execute(text("VACUUM ANALYZE invoices"))


async def steady_state(engine: AsyncEngine, count: int) -> None:
    """Every past day rolled up (as the portal's first views leave it), today's day dirty."""
    browser = Browser(PORTAL_URL)
    everything = InvoiceQuery(date_from=TODAY - timedelta(days=DAYS), date_to=TODAY)
    for _ in range(DAYS // 400 + 1):  # a totals call rolls up at most 400 days
        await browser.totals(engine, everything)
    await fill(engine, count + 1, count + 5, days=1)  # five more of today
    await vacuum(engine)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


async def main(args: argparse.Namespace) -> None:
    name = unique_name("bench_portal")
    dsn = await create_database(name)
    engine = create_engine(dsn, pool_size=2)
    try:
        await upgrade(dsn)
        started = time.perf_counter()
        await fill(engine, 1, args.invoices)
        await vacuum(engine)
        print(f"filled {args.invoices:,} invoices in {time.perf_counter() - started:.0f} s")
        await steady_state(engine, args.invoices)
        results: dict[str, list[float]] = {"day roll-up": [], "summed per request": []}
        for repeat in range(args.repeats):
            reqs = requests(args.requests, seed=repeat)
            for label in results:  # alternated within each repetition
                baseline = label == "summed per request"
                await measure(engine, reqs[:10], baseline)  # warm the cache
                results[label] += await measure(engine, reqs, baseline)
        report(results)
    finally:
        await engine.dispose()
        await drop_database(name)


def report(results: dict[str, list[float]]) -> None:
    print(f"{'':20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, samples in results.items():
        med, top = statistics.median(samples), max(samples)
        print(f"{label:20} {med:8.1f} {p95(samples):8.1f} {top:8.1f}")
    ours, base = (p95(samples) for samples in results.values())
    print(f"p95 day roll-up / summed per request: {ours / base:.2f}x")
    print(f"target p95 <= 100 ms: {'met' if ours <= 100 else 'MISSED'} ({ours:.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
