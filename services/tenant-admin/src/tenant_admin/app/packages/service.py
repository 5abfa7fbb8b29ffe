"""The package forms: dates as operators type them (DD/MM/YYYY, Athens), each change through
``packages.service`` (its rules and history) and into the audit trail.

A start date means from that day's first moment; an end date means through that day (its last
second), so that a package sold "01/12/2026 – 30/11/2027" is valid on both days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor, Subject
from tenant_admin.errors import PackageRefused
from tenant_admin.packages import service as packages
from tenant_admin.packages.service import PackageChange
from tenant_admin.tenants.schemas import PackageInfo, TenantDetail
from webkit.formats import ATHENS, parse_day, today_in_athens

MAX_CALLS = 100_000_000
LAST_SECOND = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class PackageRow:
    """A package with its history, as the page lists them."""

    package: PackageInfo
    changes: list[PackageChange]


def first_moment(day: date) -> datetime:
    return datetime.combine(day, time(0), ATHENS)


def last_moment(day: date) -> datetime:
    return datetime.combine(day, LAST_SECOND, ATHENS)


def _calls(text: str) -> int:
    cleaned = text.strip().replace(".", "").replace(",", "")
    if not cleaned.isdigit() or not 0 < int(cleaned) <= MAX_CALLS:
        raise PackageRefused("bad_number", f"not a number of calls: {text!r}")
    return int(cleaned)


def _day(text: str, default: date | None = None) -> date:
    if not text.strip() and default is not None:
        return default
    found = parse_day(text)
    if found is None:
        raise PackageRefused("bad_date", f"not a DD/MM/YYYY date: {text!r}")
    return found


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


async def rows(conn: AsyncConnection, customer_id: str) -> list[PackageRow]:
    history = await packages.history(conn, customer_id)
    found = await packages.list_packages(conn, customer_id)
    return [PackageRow(p, [c for c in history if c.package_id == p.id]) for p in reversed(found)]


async def sell(
    conn: AsyncConnection, actor: Actor, user: TenantDetail, calls: str, start: str, end: str
) -> None:
    """Raises ``PackageRefused`` (its ``reason`` says which rule) when it cannot be sold."""
    first = _day(start, today_in_athens())
    last = _day(end, _year_after(first) - timedelta(days=1))
    sold = await packages.sell_package(
        conn, user.tenant_id, _calls(calls), first_moment(first), last_moment(last),
        by=actor.operator,
    )  # fmt: skip
    detail = {"package_id": sold.id, "calls": sold.call_limit, "ends_at": sold.ends_at.isoformat()}
    await audit.record(conn, actor, "package.sold", _subject(user), **detail)


async def move_end(
    conn: AsyncConnection, actor: Actor, user: TenantDetail, package_id: int, end: str
) -> None:
    moved = await packages.move_end(
        conn, user.tenant_id, package_id, last_moment(_day(end)), by=actor.operator
    )
    detail = {"package_id": package_id, "ends_at": moved.ends_at.isoformat()}
    await audit.record(conn, actor, "package.extended", _subject(user), **detail)


async def set_limit(
    conn: AsyncConnection, actor: Actor, user: TenantDetail, package_id: int, limit: str
) -> None:
    changed = await packages.set_call_limit(
        conn, user.tenant_id, package_id, _calls(limit), by=actor.operator
    )
    detail = {"package_id": package_id, "calls": changed.call_limit}
    await audit.record(conn, actor, "package.limit", _subject(user), **detail)


def _subject(user: TenantDetail) -> Subject:
    return Subject(user.tenant_id, user.username)
