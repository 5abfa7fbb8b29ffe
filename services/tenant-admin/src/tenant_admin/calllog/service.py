"""The call log's switch, its reading and its purge. Never commits: the request, or the
housekeeping job (one short transaction per purged batch), owns the transaction.

The gateway reads the flag with each token's status, which it caches for
``EINV_TOKEN_CACHE_TTL_S``: switching the log on or off reaches every gateway within that time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.calllog import repository

PURGE_BATCH = 5000


@dataclass(frozen=True, slots=True)
class CallFilters:
    since: datetime | None = None
    until: datetime | None = None
    statuses: tuple[int, int] | None = None  # an inclusive range: one status, or 400–499
    path: str | None = None  # part of the path


@dataclass(frozen=True, slots=True)
class CallSummary:
    id: int
    at: datetime
    method: str
    path: str
    query: str
    status: int
    latency_ms: float
    request_id: str | None


@dataclass(frozen=True, slots=True)
class CallRecord(CallSummary):
    customer_id: str
    request_body: str
    response_body: str


async def switch(conn: AsyncConnection, customer_id: str, on: bool) -> bool:
    """Turn the customer's call log on or off; True when it changed."""
    return await repository.set_flag(conn, customer_id, on)


async def calls(
    conn: AsyncConnection,
    customer_id: str,
    filters: CallFilters,
    before: tuple[datetime, int] | None = None,
    limit: int = 50,
) -> list[CallSummary]:
    found = {k: getattr(filters, k) for k in CallFilters.__dataclass_fields__}
    rows = await repository.calls(conn, customer_id, found, before, limit)
    return [CallSummary(**dict(row)) for row in rows]


async def call(conn: AsyncConnection, customer_id: str, call_id: int) -> CallRecord | None:
    row = await repository.call(conn, customer_id, call_id)
    return CallRecord(**dict(row)) if row else None


def cutoff(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def purge_batch(conn: AsyncConnection, older_than: datetime) -> int:
    """Delete up to ``PURGE_BATCH`` calls older than ``older_than``; how many went."""
    return await repository.purge(conn, older_than, PURGE_BATCH)
