"""All SQL of the delivery reports domain."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from notifier.channels.sms import DeliveryReport
from notifier.db.tables import delivery_reports

R = delivery_reports.c


async def insert_report(conn: AsyncConnection, report: DeliveryReport) -> int | None:
    """Store a report once per (provider message id, status, part); None for a repeat."""
    stmt = (
        insert(delivery_reports)
        .values(
            provider_message_id=report.provider_message_id,
            status=report.status,
            part=report.part,
            raw=report.raw,
        )
        .on_conflict_do_nothing(constraint="delivery_reports_once")
        .returning(R.id)
    )
    found: int | None = (await conn.execute(stmt)).scalar_one_or_none()
    return found


async def delivered_parts(conn: AsyncConnection, provider_message_id: str) -> set[int]:
    stmt = select(R.part).where(
        R.provider_message_id == provider_message_id, R.status == "DELIVERED"
    )
    return set((await conn.execute(stmt)).scalars())


async def mark_applied(conn: AsyncConnection, report_pk: int) -> None:
    await conn.execute(update(delivery_reports).where(R.id == report_pk).values(applied=True))
