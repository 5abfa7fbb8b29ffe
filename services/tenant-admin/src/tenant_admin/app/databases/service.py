"""Creating and recreating a customer's database from the admin app: the provisioning workflow
(``provisioning.service``) runs as a background job of tenant-admin; the page polls the
placement's status and step, which the workflow commits as it goes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Literal

from kit.db import workflow_step
from tenant_admin.app.deps import AdminSite
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor, Subject
from tenant_admin.errors import ProvisioningFailed
from tenant_admin.provisioning.service import provision, recreate
from tenant_admin.tenants.schemas import TenantDetail

log = logging.getLogger("tenant_admin.app.databases")

Status = Literal["none", "not_created", "creating", "interrupted", "active", "failed"]


@dataclass(frozen=True, slots=True)
class DatabaseState:
    status: Status
    step: str | None = None
    database: str | None = None
    server: str | None = None
    revision: str | None = None
    error: str | None = None

    @property
    def busy(self) -> bool:
        return self.status == "creating"


def job_key(customer_id: str) -> str:
    return f"provision:{customer_id}"


def state_of(user: TenantDetail, running: bool) -> DatabaseState:
    """What the page shows: an AADE user has none; a placement never attempted is not created
    yet; one in ``provisioning`` without a job here was cut short (a restart)."""
    if user.role != "customer" or user.database is None:
        return DatabaseState("none")
    status: Status
    if running:
        status = "creating"
    elif user.status == "active":
        status = "active"
    elif user.status == "failed":
        status = "failed"
    else:
        status = "interrupted" if user.attempts else "not_created"
    return DatabaseState(
        status, user.step, user.database, user.server, user.schema_revision, user.last_error
    )


async def _quietly(work: str, customer_id: str, step: Awaitable[object]) -> None:
    try:
        await step
    except ProvisioningFailed as exc:  # recorded in the placement, which the page shows
        log.warning("%s failed", work, extra={"tenant_id": customer_id, "error": exc.message})


async def create_database(site: AdminSite, actor: Actor, user: TenantDetail) -> str | None:
    """«Δημιουργία» (also a retry after a failure). None when started, else why not."""
    engine = site.runtime.engine
    if user.role != "customer" or site.jobs.running(job_key(user.tenant_id)):
        return "busy"
    async with workflow_step(engine) as conn:
        await audit.record(conn, actor, "database.create", Subject(user.tenant_id, user.username))
    site.jobs.start(
        job_key(user.tenant_id),
        lambda: _quietly("provisioning", user.tenant_id, provision(engine, user.tenant_id)),
    )
    return None


async def recreate_database(
    site: AdminSite, actor: Actor, user: TenantDetail, confirmation: str
) -> str | None:
    """«Επαναδημιουργία»: destroys the data, so only with the username typed again; refused
    attempts are in the trail too. None when started, else why not (``notices.REFUSED``)."""
    subject = Subject(user.tenant_id, user.username)
    engine = site.runtime.engine
    if confirmation.strip() != user.username:
        async with workflow_step(engine) as conn:
            await audit.record(conn, actor, "database.recreate_refused", subject)
        return "confirmation"
    if user.role != "customer" or site.jobs.running(job_key(user.tenant_id)):
        return "busy"
    async with workflow_step(engine) as conn:
        await audit.record(conn, actor, "database.recreate", subject, database=user.database)
    site.jobs.start(
        job_key(user.tenant_id),
        lambda: _quietly(
            "recreation", user.tenant_id,
            recreate(engine, user.tenant_id, user.username, user.username),
        ),
    )  # fmt: skip
    return None
