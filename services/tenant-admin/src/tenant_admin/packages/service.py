"""Selling packages of API calls. Never commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.errors import InvalidInput
from tenant_admin.packages import repository
from tenant_admin.tenants.schemas import PackageInfo

# A package is sold now; backdating covers a contract signed before the account existed, and
# selling ahead covers a renewal. Outside these a date is a typo (1961, 2206), not a sale.
MAX_BACKDATE = timedelta(days=366)
MAX_AHEAD = timedelta(days=3 * 366)


async def add_package(
    conn: AsyncConnection,
    customer_id: str,
    calls: int,
    days: int = 365,
    starts_at: datetime | None = None,
) -> PackageInfo:
    """A package of ``calls`` calls valid ``days`` days from ``starts_at`` (default: now)."""
    if calls < 1 or days < 1:
        raise InvalidInput("a package needs at least one call and one day")
    now = datetime.now(UTC)
    start = starts_at or now
    if start.tzinfo is None:
        raise InvalidInput("starts_at: needs a time zone")
    if not now - MAX_BACKDATE <= start <= now + MAX_AHEAD:
        raise InvalidInput(
            f"starts_at: {start:%Y-%m-%d} must be within {MAX_BACKDATE.days} days before and"
            f" {MAX_AHEAD.days} days after today"
        )
    return await repository.insert_package(conn, customer_id, calls, start, start + timedelta(days))


async def list_packages(conn: AsyncConnection, customer_id: str) -> list[PackageInfo]:
    return await repository.list_packages(conn, customer_id)
