"""``/admin-app/resend…``: the list, resend one, resend all and its progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import RedirectResponse, Response

from contracts.resend import ResendItem, ResendResult
from kit.db import transaction
from kit.errors import NotFound
from kit.http import RowId, RowIdQuery
from tenant_admin.app.deps import PREFIX, Operator, OperatorPost, Site
from tenant_admin.app.notices import notices
from tenant_admin.app.resend import service
from tenant_admin.resend import service as jobs
from tenant_admin.resend.service import JobRunning
from tenant_admin.upstream.http import UpstreamUnavailable
from webkit.i18n import N_, Message

router = APIRouter(prefix="/resend", include_in_schema=False)
TransmissionId = RowId
JobId = RowId
MAX_PAGES = 50


@router.get("")
async def resend_list(
    visitor: Operator, site: Site, pages: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
    job: RowIdQuery = None,
) -> Response:  # fmt: skip
    messages = notices(visitor.page.query)
    try:
        items, total = await _pages(site, pages)
    except UpstreamUnavailable:
        items, total = [], 0
        messages.append(
            Message(N_("mydata-sync is not answering; try again shortly."), level="error")
        )
    async with transaction(site.runtime.engine) as conn:
        current = await (jobs.job(conn, job) if job else jobs.latest_job(conn))
        results = await jobs.job_items(conn, current.id) if current else []
    return site.pages.render(
        visitor.page, "resend/list.html", items=items, total=total, messages=messages,
        next_offset=len(items) if len(items) < total else None, job=current, results=results,
    )  # fmt: skip


async def _pages(site: Site, pages: int) -> tuple[list[ResendItem], int]:
    """The first ``pages`` pages ("More" as a plain link shows every page so far)."""
    found = await service.page(site, 0)
    items, total = list(found.items), found.total
    for shown in range(1, pages):
        more = await service.page(site, shown * service.PAGE)
        items, total = items + more.items, more.total
    return items, total


@router.get("/rows")
async def more(
    visitor: Operator, site: Site, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
) -> Response:
    found = await service.page(site, offset)
    shown = offset + len(found.items)
    return site.pages.render(
        visitor.page, "resend/_rows.html", items=found.items,
        next_offset=shown if shown < found.total else None,
    )  # fmt: skip


@router.post("/all")
async def resend_all(visitor: OperatorPost, site: Site) -> Response:
    try:
        job_id = await service.resend_all(site, visitor.actor)
    except JobRunning as running:
        job_id = running.job_id
    return RedirectResponse(f"{PREFIX}/resend?job={job_id}", status_code=303)


@router.get("/jobs/{job_id}")
async def job_progress(visitor: Operator, site: Site, job_id: JobId) -> Response:
    async with transaction(site.runtime.engine) as conn:
        found = await jobs.job(conn, job_id)
        results = await jobs.job_items(conn, job_id) if found else []
    if found is None:
        raise NotFound("no such job")
    return site.pages.render(visitor.page, "resend/_job.html", job=found, results=results)


@router.post("/{transmission_id}")
async def resend_one(
    visitor: OperatorPost, site: Site, transmission_id: TransmissionId
) -> Response:
    """htmx: the row's outcome in its place; a plain form: the list with the outcome."""
    result: ResendResult | None = None
    unavailable = False
    try:
        result = await service.resend_one(site, visitor.actor, transmission_id)
    except NotFound:
        pass
    except UpstreamUnavailable:
        unavailable = True
    if not visitor.htmx:
        return RedirectResponse(f"{PREFIX}/resend?{_outcome(result, unavailable)}", 303)
    return site.pages.render(
        visitor.page, "resend/_outcome.html", transmission_id=transmission_id, result=result,
        unavailable=unavailable,
    )  # fmt: skip


def _outcome(result: ResendResult | None, unavailable: bool) -> str:
    if unavailable:
        return "refused=resend_failed"
    if result is None:
        return "refused=resend_gone"
    return "done=resent" if result.ok else "refused=resend_failed"
