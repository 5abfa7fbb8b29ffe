"""Resending deferred invoices through mydata-sync's resend API (ADMIN-8).

"Resend all" is a job: a row in ``resend_jobs`` (state, total, counters) and one row per invoice
with its outcome. The seed stops at the first failure; this goes on and reports each invoice.
It reads the whole list first (a snapshot: invoices the sweeper transmits meanwhile simply answer
"already transmitted"), then resends ``batch_size`` at a time through mydata-sync, committing
each batch's outcomes (a workflow that spans network calls: ``kit.db.workflow_step``), so the
page that polls the record sees it move. A process that stops mid-job leaves it ``running``;
the next start marks it ``interrupted``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.resend import ResendItem, ResendPage, ResendResult
from kit.db import workflow_step
from kit.errors import AppError, Conflict
from tenant_admin.resend import repository

log = logging.getLogger("tenant_admin.resend")

PAGE = 500
# Far more than a myDATA outage leaves behind; past it, the next "resend all" takes the rest.
MAX_ITEMS = 100_000
Outcome = Literal["transmitted", "rejected", "deferred", "error"]


class ResendApi(Protocol):
    async def page(self, limit: int, offset: int) -> ResendPage: ...

    async def resend(self, transmission_id: int) -> ResendResult: ...


class JobRunning(Conflict):
    code = "resend_running"
    title = "A resend-all job is running"

    def __init__(self, job_id: int) -> None:
        super().__init__(f"job {job_id} is still running")
        self.job_id = job_id


@dataclass(frozen=True, slots=True)
class ResendJob:
    id: int
    operator: str
    state: Literal["running", "finished", "failed", "interrupted"]
    total: int | None
    done: int
    transmitted: int
    rejected: int
    deferred: int
    errors: int
    error: str | None
    started_at: datetime
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.state != "running" else 0
        return min(100, round(100 * self.done / self.total))


@dataclass(frozen=True, slots=True)
class JobItem:
    transmission_id: int
    username: str
    temporary_code: str
    outcome: Outcome
    message: str
    at: datetime


async def resend_one(api: ResendApi, transmission_id: int) -> ResendResult:
    """Try one now (mydata-sync bypasses its breaker for an operator)."""
    return await api.resend(transmission_id)


async def start_job(conn: AsyncConnection, operator: str) -> int:
    """A new job row (``JobRunning`` while another one runs)."""
    running = await repository.running_job(conn)
    if running is not None:
        raise JobRunning(running)
    return await repository.insert_job(conn, operator)


async def snapshot(api: ResendApi) -> list[ResendItem]:
    items: list[ResendItem] = []
    while len(items) < MAX_ITEMS:
        page = await api.page(PAGE, len(items))
        items += page.items
        if len(page.items) < PAGE:
            break
    return items


async def _outcome(api: ResendApi, item: ResendItem) -> dict[str, Any]:
    found: dict[str, Any] = {
        "transmission_id": item.transmission_id,
        "username": item.customer_username,
        "temporary_code": item.temporary_code,
    }
    try:
        result = await api.resend(item.transmission_id)
    except AppError as exc:  # not reached, gone meanwhile: this invoice only
        return found | {"outcome": "error", "message": exc.message or exc.title}
    return found | {"outcome": result.state, "message": result.message}


async def _run_batches(
    engine: AsyncEngine, api: ResendApi, job_id: int, items: Sequence[ResendItem], size: int
) -> None:
    for start in range(0, len(items), size):
        batch = items[start : start + size]
        outcomes = await asyncio.gather(*(_outcome(api, item) for item in batch))
        async with workflow_step(engine) as conn:
            await repository.add_items(conn, job_id, list(outcomes))


async def run_job(engine: AsyncEngine, api: ResendApi, job_id: int, batch_size: int) -> None:
    """The background job: snapshot, batches, end state (``failed`` when the list itself could
    not be read; a stopped process leaves it ``running`` for the next start to finish)."""
    try:
        items = await snapshot(api)
        async with workflow_step(engine) as conn:
            await repository.set_total(conn, job_id, len(items))
        await _run_batches(engine, api, job_id, items, batch_size)
    except AppError as exc:
        log.warning("resend-all failed", extra={"job_id": job_id, "error": exc.message})
        async with workflow_step(engine) as conn:
            await repository.finish(conn, job_id, "failed", exc.message or exc.title)
        return
    async with workflow_step(engine) as conn:
        await repository.finish(conn, job_id, "finished", None)


async def interrupt_stale(conn: AsyncConnection) -> int:
    return await repository.interrupt_running(conn)


async def job(conn: AsyncConnection, job_id: int) -> ResendJob | None:
    row = await repository.job(conn, job_id)
    return ResendJob(**dict(row)) if row else None


async def latest_job(conn: AsyncConnection) -> ResendJob | None:
    row = await repository.latest_job(conn)
    return ResendJob(**dict(row)) if row else None


async def job_items(conn: AsyncConnection, job_id: int) -> list[JobItem]:
    return [JobItem(**{k: v for k, v in dict(r).items() if k != "job_id"})
            for r in await repository.items(conn, job_id)]  # fmt: skip
