"""SQL of the "resend all" jobs (``resend_jobs``, ``resend_job_items``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import resend_job_items, resend_jobs

COUNTERS = ("transmitted", "rejected", "deferred", "errors")


async def insert_job(conn: AsyncConnection, operator: str) -> int:
    stmt = insert(resend_jobs).values(operator=operator).returning(resend_jobs.c.id)
    return int((await conn.execute(stmt)).scalar_one())


async def running_job(conn: AsyncConnection) -> int | None:
    stmt = select(resend_jobs.c.id).where(resend_jobs.c.state == "running")
    return (await conn.execute(stmt.order_by(resend_jobs.c.id.desc()).limit(1))).scalar()


async def set_total(conn: AsyncConnection, job_id: int, total: int) -> None:
    await conn.execute(update(resend_jobs).where(resend_jobs.c.id == job_id).values(total=total))


async def add_items(conn: AsyncConnection, job_id: int, items: list[dict[str, Any]]) -> None:
    """The batch's outcomes, and the job's counters moved by as many."""
    await conn.execute(insert(resend_job_items), [{"job_id": job_id, **i} for i in items])
    j = resend_jobs.c
    moved: dict[str, Any] = {"done": j.done + len(items)}
    for name in COUNTERS:
        outcome = "error" if name == "errors" else name
        moved[name] = j[name] + sum(1 for i in items if i["outcome"] == outcome)
    await conn.execute(update(resend_jobs).where(j.id == job_id).values(**moved))


async def finish(conn: AsyncConnection, job_id: int, state: str, error: str | None) -> None:
    stmt = update(resend_jobs).where(resend_jobs.c.id == job_id, resend_jobs.c.state == "running")
    await conn.execute(stmt.values(state=state, error=error, finished_at=func.now()))


async def interrupt_running(conn: AsyncConnection) -> int:
    """Mark jobs left running by a process that stopped as interrupted."""
    stmt = update(resend_jobs).where(resend_jobs.c.state == "running")
    stmt = stmt.values(state="interrupted", finished_at=func.now())
    return int((await conn.execute(stmt)).rowcount or 0)


async def job(conn: AsyncConnection, job_id: int) -> RowMapping | None:
    row: RowMapping | None = (
        (await conn.execute(select(resend_jobs).where(resend_jobs.c.id == job_id))).mappings()
    ).first()
    return row


async def latest_job(conn: AsyncConnection) -> RowMapping | None:
    stmt = select(resend_jobs).order_by(resend_jobs.c.id.desc()).limit(1)
    row: RowMapping | None = (await conn.execute(stmt)).mappings().first()
    return row


async def items(conn: AsyncConnection, job_id: int) -> list[RowMapping]:
    i = resend_job_items.c
    stmt = select(resend_job_items).where(i.job_id == job_id).order_by(i.at, i.transmission_id)
    return list((await conn.execute(stmt)).mappings().all())
