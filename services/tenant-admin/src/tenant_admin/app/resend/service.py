"""The resend pages: mydata-sync's list, one resend (with the outcome in the trail), and the
"resend all" job started in the background (``tenant_admin.resend``)."""

from __future__ import annotations

from contracts.resend import ResendPage, ResendResult
from kit.db import workflow_step
from tenant_admin.app.deps import AdminSite
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor
from tenant_admin.resend import service as resend

PAGE = 20
JOB_KEY = "resend-all"
BATCH = 10  # resends in flight at once (mydata-sync bounds its own myDATA calls too)


async def page(site: AdminSite, shown: int) -> ResendPage:
    return await site.resend.page(PAGE, shown)


async def resend_one(site: AdminSite, actor: Actor, transmission_id: int) -> ResendResult:
    """Try it now; the outcome goes into the trail once known (no transaction is held while
    mydata-sync waits for myDATA)."""
    result = await resend.resend_one(site.resend, transmission_id)
    async with workflow_step(site.runtime.engine) as conn:
        await audit.record(
            conn, actor, "resend.one", None, transmission_id=transmission_id,
            tenant_id=result.tenant_id, uid=result.uid, state=result.state,
            message=result.message,
        )  # fmt: skip
    return result


async def resend_all(site: AdminSite, actor: Actor) -> int:
    """Start the job (or find the one running); its id."""
    engine = site.runtime.engine
    async with workflow_step(engine) as conn:
        job_id = await resend.start_job(conn, actor.operator)
        await audit.record(conn, actor, "resend.all", None, job_id=job_id)
    site.jobs.start(JOB_KEY, lambda: resend.run_job(engine, site.resend, job_id, BATCH))
    return job_id
