"""SQL of the portal's reads: the filtered list (keyset), its totals, one invoice by uid.

Both the list and the totals filter the same way (``_filtered``). Totals filtered only by dates,
series and loss flag come from ``day_totals`` for clean days plus ``invoices`` for the days a
trigger marked dirty since their last roll-up; with a counterpart or a number they come from
``invoices`` alone (those filters select few rows, through their own indexes). ADR 0007.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, func, insert, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.portal import InvoiceQuery
from tenant_schema.invoices import TOTALS, day_totals, dirty_days, invoices

I = invoices.c  # noqa: E741  (the table's columns, as in the other repositories)
D = day_totals.c
LOSS = {"erp": 1, "mydata": 2}  # transmission_failure: the ERP could not reach us / we myDATA


def _filtered(query: InvoiceQuery) -> list[ColumnElement[bool]]:
    where = [I.issue_date >= query.date_from, I.issue_date <= query.date_to]
    if query.cp_vat:
        where.append(I.counterpart_vat == query.cp_vat)
    if query.series:
        where.append(I.series == query.series)
    if query.aa:
        where.append(I.aa == query.aa)
    if query.loss != "any":
        where.append(I.transmission_failure == LOSS[query.loss])
    return where


def _before(cursor: tuple[date, int] | None) -> list[ColumnElement[bool]]:
    if cursor is None:
        return []
    day, invoice_id = cursor
    return [or_(I.issue_date < day, and_(I.issue_date == day, I.id < invoice_id))]


_ROW = (
    I.id, I.uid, I.issue_date, I.series, I.aa, I.invoice_type, I.counterpart_vat,
    I.request["cp_name"].astext.label("counterpart_name"), I.state, I.transmission_failure,
    I.mark, I.authentication_code, I.temporary_code, I.total_net, I.total_vat, I.total_gross,
)  # fmt: skip


async def page(
    conn: AsyncConnection, query: InvoiceQuery, cursor: tuple[date, int] | None, limit: int
) -> list[Any]:
    """Newest first: (issue_date, id) descending, after ``cursor``; ``limit`` rows."""
    stmt = (
        select(*_ROW)
        .where(*_filtered(query), *_before(cursor))
        .order_by(I.issue_date.desc(), I.id.desc())
        .limit(limit)
    )
    return list((await conn.execute(stmt)).all())


def _sums(table: Any, count: Any) -> list[Any]:
    return [count.label("count"), *(func.sum(table.c[f"total_{t}"]).label(t) for t in TOTALS)]


async def totals(conn: AsyncConnection, query: InvoiceQuery) -> Any:
    """One statement, one snapshot: rolled-up clean days + raw dirty days (or raw alone)."""
    if query.cp_vat or query.aa:
        raw = select(*_sums(invoices, func.count())).where(*_filtered(query))
        return await _add_up(conn, raw.subquery())
    dirty = select(dirty_days.c.issue_date)
    rolled = select(*_sums(day_totals, func.sum(D.count))).where(
        *_day_filter(query), D.issue_date.not_in(dirty)
    )
    fresh = select(*_sums(invoices, func.count())).where(*_filtered(query), I.issue_date.in_(dirty))
    return await _add_up(conn, union_all(rolled, fresh).subquery())


async def _add_up(conn: AsyncConnection, parts: Any) -> Any:
    columns = [func.coalesce(func.sum(parts.c[name]), 0).label(name) for name in ("count", *TOTALS)]
    return (await conn.execute(select(*columns))).one()


def _day_filter(query: InvoiceQuery) -> list[ColumnElement[bool]]:
    where = [D.issue_date >= query.date_from, D.issue_date <= query.date_to]
    if query.series:
        where.append(D.series == query.series)
    if query.loss != "any":
        where.append(D.transmission_failure == LOSS[query.loss])
    return where


async def roll_up(conn: AsyncConnection, date_from: date, date_to: date, limit: int) -> int:
    """Sum up to ``limit`` dirty days of the range into ``day_totals``; how many were done.

    The marks are deleted first: an invoice committed while the sums are read marks its day
    again (the delete made room, or its mark was never seen), so no change is ever lost.
    """
    in_range = and_(dirty_days.c.issue_date >= date_from, dirty_days.c.issue_date <= date_to)
    picked = (
        select(dirty_days.c.issue_date)
        .where(in_range)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = delete(dirty_days).where(dirty_days.c.issue_date.in_(picked))
    days = list((await conn.execute(taken.returning(dirty_days.c.issue_date))).scalars())
    if not days:
        return 0
    await conn.execute(delete(day_totals).where(D.issue_date.in_(days)))
    grouped = select(I.issue_date, I.series, I.transmission_failure, *_sums(invoices, func.count()))
    grouped = grouped.where(I.issue_date.in_(days)).group_by(
        I.issue_date, I.series, I.transmission_failure
    )
    columns = [
        "issue_date",
        "series",
        "transmission_failure",
        "count",
        *(f"total_{t}" for t in TOTALS),
    ]
    await conn.execute(insert(day_totals).from_select(columns, grouped))
    return len(days)


async def by_uid(conn: AsyncConnection, uid: str) -> Row[Any] | None:
    return (await conn.execute(select(invoices).where(I.uid == uid))).first()
