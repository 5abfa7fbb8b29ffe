"""The portal's totals (day roll-up + dirty days) equal the invoices' own sums, whatever changed
since the last roll-up: an invoice inserted on a rolled-up day, one deleted (re-issue after a
rejection), a loss flag set (deferral), and a day rolled up while another invoice arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.portal import InvoiceQuery, InvoiceTotals
from invoice_service.browse import repository
from invoice_service.browse.service import Browser
from kit.db import create_engine
from tenant_schema.invoices import TOTALS, dirty_days, invoices
from tenant_schema.migrate import upgrade
from testkit.pg_fixtures import DatabaseFactory

DAY = date(2026, 3, 10)
QUERY = InvoiceQuery(date_from=DAY - timedelta(days=9), date_to=DAY)


@pytest.fixture
async def engine(new_database: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    dsn = await new_database("browse")
    await upgrade(dsn)
    created = create_engine(dsn, pool_size=2)
    yield created
    await created.dispose()


async def add(engine: AsyncEngine, n: int, day: date, series: str = "A", loss: int = 0) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            invoices.insert().values(
                uid=f"U{n:039d}", state="transmitted", transmission_failure=loss,
                temporary_code=f"T{n}", issuer_vat="094420307", series=series, aa=str(n),
                invoice_type="1.1", issue_date=day, total_net=Decimal(100 + n),
                total_vat=Decimal(24), total_gross=Decimal(124 + n), request={},
            )
        )  # fmt: skip


async def raw(engine: AsyncEngine, query: InvoiceQuery) -> InvoiceTotals:
    sums = [func.coalesce(func.sum(invoices.c[f"total_{t}"]), 0).label(t) for t in TOTALS]
    where = [invoices.c.issue_date.between(query.date_from, query.date_to)]
    if query.series:
        where.append(invoices.c.series == query.series)
    if query.loss == "mydata":
        where.append(invoices.c.transmission_failure == 2)
    async with engine.connect() as conn:
        row = (await conn.execute(select(func.count().label("count"), *sums).where(*where))).one()
    return InvoiceTotals(count=row.count, **{t: getattr(row, t) for t in TOTALS})


async def check(engine: AsyncEngine, query: InvoiceQuery = QUERY) -> InvoiceTotals:
    got = await Browser("http://portal").totals(engine, query)
    assert got == await raw(engine, query)
    return got


async def dirty(engine: AsyncEngine) -> set[date]:
    async with engine.connect() as conn:
        return set((await conn.execute(select(dirty_days.c.issue_date))).scalars())


async def test_totals_stay_exact_through_every_kind_of_change(engine: AsyncEngine) -> None:
    for n in range(12):
        await add(engine, n, DAY - timedelta(days=n % 4), series="AB"[n % 2])
    assert len(await dirty(engine)) == 4
    first = await check(engine)
    assert first.count == 12 and await dirty(engine) == set()  # rolled up
    await add(engine, 100, DAY - timedelta(days=1))  # lands on a rolled-up day
    assert await dirty(engine) == {DAY - timedelta(days=1)}
    assert (await check(engine)).count == 13
    async with engine.begin() as conn:
        await conn.execute(invoices.delete().where(invoices.c.aa == "3"))
        await conn.execute(
            invoices.update().where(invoices.c.aa == "5").values(transmission_failure=2)
        )
    await check(engine)
    await check(engine, QUERY.model_copy(update={"series": "B"}))
    deferred = await check(engine, QUERY.model_copy(update={"loss": "mydata"}))
    assert deferred.count == 1 and deferred.net == Decimal(105)


async def test_an_invoice_committed_during_a_roll_up_is_not_lost(engine: AsyncEngine) -> None:
    await add(engine, 1, DAY)
    async with engine.begin() as conn:
        assert await repository.roll_up(conn, QUERY.date_from, QUERY.date_to, 400) == 1
        # Another request inserts an invoice of the same day before this roll-up commits: its
        # day mark waits for the roll-up's delete of the old mark, then lands.
        late = asyncio.create_task(add(engine, 2, DAY))
        await asyncio.sleep(0.3)
        assert not late.done()
    await late
    assert await dirty(engine) == {DAY}
    assert (await check(engine)).count == 2


async def test_roll_up_is_bounded_per_request(engine: AsyncEngine) -> None:
    for n in range(5):
        await add(engine, n, DAY - timedelta(days=n))
    async with engine.begin() as conn:
        assert await repository.roll_up(conn, QUERY.date_from, QUERY.date_to, 2) == 2
    assert len(await dirty(engine)) == 3
    async with engine.connect() as conn:  # half rolled up, half raw: still exact
        got = await repository.totals(conn, QUERY)
    assert got.count == 5 and got.net == sum(Decimal(100 + n) for n in range(5))
