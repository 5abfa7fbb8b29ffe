"""Selling packages of API calls, moving their end, changing their limit (ADMIN-10), and the
history of every such change: who, when, before and after. Never commits.

A limit is compared with the calls used under the package's row lock, so the gateway cannot
spend a call between the check and the change (its spending statement waits for the lock); the
table's CHECK constraints (calls used ≤ limit, end after start) are the backstop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.errors import PackageRefused
from tenant_admin.packages import repository
from tenant_admin.tenants.schemas import PackageInfo

# A package is sold now; backdating covers a contract signed before the account existed, and
# selling ahead covers a renewal. Outside these a date is a typo (1961, 2206), not a sale.
MAX_BACKDATE = timedelta(days=366)
MAX_AHEAD = timedelta(days=3 * 366)
# Who changed a package when no operator did (the CLI, a script).
SYSTEM = "system"
ChangeKind = Literal["sold", "extended", "limit"]


@dataclass(frozen=True, slots=True)
class PackageChange:
    id: int
    package_id: int
    changed_by: str
    kind: ChangeKind
    old_call_limit: int | None
    new_call_limit: int
    old_ends_at: datetime | None
    new_ends_at: datetime
    at: datetime


def _check_calls(calls: int) -> None:
    if calls < 1:
        raise PackageRefused("no_calls", "a package needs at least one call")


def _check_start(start: datetime) -> None:
    if start.tzinfo is None:
        raise PackageRefused("start_out_of_range", "starts_at: needs a time zone")
    now = datetime.now(UTC)
    if not now - MAX_BACKDATE <= start <= now + MAX_AHEAD:
        raise PackageRefused(
            "start_out_of_range",
            f"starts_at: {start:%Y-%m-%d} must be within {MAX_BACKDATE.days} days before and"
            f" {MAX_AHEAD.days} days after today",
        )


def _check_period(start: datetime, end: datetime) -> None:
    if end <= start:
        raise PackageRefused("end_before_start", "the end must come after the start")


async def _record(
    conn: AsyncConnection, kind: ChangeKind, before: PackageInfo | None, after: PackageInfo, by: str
) -> None:
    values: dict[str, Any] = {
        "package_id": after.id, "changed_by": by, "kind": kind,
        "old_call_limit": before.call_limit if before else None, "new_call_limit": after.call_limit,
        "old_ends_at": before.ends_at if before else None, "new_ends_at": after.ends_at,
    }  # fmt: skip
    await repository.insert_change(conn, values)


async def sell_package(
    conn: AsyncConnection,
    customer_id: str,
    calls: int,
    starts_at: datetime,
    ends_at: datetime,
    *,
    by: str = SYSTEM,
) -> PackageInfo:
    _check_calls(calls)
    _check_start(starts_at)
    _check_period(starts_at, ends_at)
    package = await repository.insert_package(conn, customer_id, calls, starts_at, ends_at)
    await _record(conn, "sold", None, package, by)
    return package


async def add_package(
    conn: AsyncConnection,
    customer_id: str,
    calls: int,
    days: int = 365,
    starts_at: datetime | None = None,
    *,
    by: str = SYSTEM,
) -> PackageInfo:
    """A package of ``calls`` calls valid ``days`` days from ``starts_at`` (default: now)."""
    if days < 1:
        raise PackageRefused("end_before_start", "a package needs at least one day")
    start = starts_at or datetime.now(UTC)
    _check_start(start)
    return await sell_package(conn, customer_id, calls, start, start + timedelta(days), by=by)


async def _locked(conn: AsyncConnection, customer_id: str, package_id: int) -> PackageInfo:
    package = await repository.locked_package(conn, customer_id, package_id)
    if package is None:
        raise PackageRefused("unknown_package", f"no package {package_id} of this customer")
    return package


async def move_end(
    conn: AsyncConnection, customer_id: str, package_id: int, ends_at: datetime, *, by: str
) -> PackageInfo:
    """Extend (or correct) the package's end; never before its start."""
    before = await _locked(conn, customer_id, package_id)
    _check_period(before.starts_at, ends_at)
    after = await repository.update_package(conn, package_id, ends_at=ends_at)
    await _record(conn, "extended", before, after, by)
    return after


async def set_call_limit(
    conn: AsyncConnection, customer_id: str, package_id: int, limit: int, *, by: str
) -> PackageInfo:
    """A new limit; never below the calls already used."""
    _check_calls(limit)
    before = await _locked(conn, customer_id, package_id)
    if limit < before.calls_used:
        raise PackageRefused(
            "limit_below_used",
            f"{before.calls_used} calls were already used; limit {limit} is less",
        )
    after = await repository.update_package(conn, package_id, call_limit=limit)
    await _record(conn, "limit", before, after, by)
    return after


async def list_packages(conn: AsyncConnection, customer_id: str) -> list[PackageInfo]:
    return await repository.list_packages(conn, customer_id)


async def history(conn: AsyncConnection, customer_id: str) -> list[PackageChange]:
    """Every change of the customer's packages, newest first."""
    return [PackageChange(**dict(row)) for row in await repository.changes(conn, customer_id)]
