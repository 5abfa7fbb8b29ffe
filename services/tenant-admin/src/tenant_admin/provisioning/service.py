"""The provisioning workflow: CREATE DATABASE, tenant migrations, status in the catalog.

A new database is a copy of the server's migrated template (``template``), so it needs no
migrations; a caller that passes its own ``migrator`` (a test, a tool) gets the database created
empty and migrated by it, and a database that already existed is always migrated.

It spans several transactions on purpose (one of the workflows ``kit.db`` names as committing
its own steps, ``workflow_step``), so this module takes the engine rather than a connection:
the intent (status ``provisioning``) is committed before any side effect, the side effects are
idempotent (create-if-missing, Alembic upgrade), and the outcome is committed after.
A crash anywhere leaves a row that ``resume_provisioning`` completes. A session advisory lock
keeps two processes from provisioning the same tenant at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts import TenantProvisioned, envelope_of
from kit.db import workflow_step
from tenant_admin.errors import ConfirmationMismatch, ProvisioningFailed, UnknownTenant
from tenant_admin.events.repository import add_event
from tenant_admin.provisioning.template import TemplateCopier
from tenant_admin.servers import repository as servers
from tenant_admin.servers.service import tenant_dsn
from tenant_admin.tenants import repository as tenants
from tenant_admin.tenants.repository import PlacementRow
from tenant_schema import migrate as tenant_migrations

log = logging.getLogger("tenant_admin.provisioning")

Migrator = Callable[[str], Awaitable[None]]
# One per process: it remembers which servers' templates it has seen at head.
TEMPLATES = TemplateCopier()


@dataclass(frozen=True, slots=True)
class ProvisionOutcome:
    customer_id: str
    database: str
    status: str
    error: str | None = None


class ProvisioningBusy(ProvisioningFailed):
    code = "provisioning_busy"
    title = "Provisioning in progress elsewhere"


@asynccontextmanager
async def _exclusive(engine: AsyncEngine, customer_id: str) -> AsyncIterator[None]:
    async with engine.connect() as conn:
        locked = await tenants.try_provisioning_lock(conn, customer_id)
        await conn.commit()  # the lock is session-level; do not sit idle in a transaction
        if not locked:
            raise ProvisioningBusy(f"tenant {customer_id} is being provisioned by another process")
        try:
            yield
        finally:
            await tenants.release_provisioning_lock(conn, customer_id)
            await conn.commit()


async def _load(engine: AsyncEngine, customer_id: str) -> PlacementRow:
    async with workflow_step(engine) as conn:
        row = await tenants.get_placement(conn, customer_id)
        if row is None:
            raise UnknownTenant(f"tenant {customer_id!r} has no database placement")
        await tenants.start_attempt(conn, customer_id)
    return row


async def _activate(engine: AsyncEngine, row: PlacementRow) -> None:
    event = TenantProvisioned(
        tenant_id=row.customer_id, database=row.database, server_id=row.server_id
    )
    async with workflow_step(engine) as conn:
        await tenants.mark_active(conn, row.customer_id, tenant_migrations.head_revision())
        await add_event(conn, envelope_of(event, tenant_id=row.customer_id))


async def _step(engine: AsyncEngine, customer_id: str, step: str) -> None:
    """Record the step under way (the admin app shows it while it polls)."""
    async with workflow_step(engine) as conn:
        await tenants.set_step(conn, customer_id, step)


async def _build(engine: AsyncEngine, row: PlacementRow, migrator: Migrator | None) -> None:
    if migrator is None:
        if await _copied(row):
            return  # a copy of the template, at head
        migrator = tenant_migrations.upgrade
    await servers.create_database(row.server_dsn, row.database)  # unless it exists
    await _step(engine, row.customer_id, "migrate")
    await migrator(tenant_dsn(row.server_dsn, row.database))


async def _copied(row: PlacementRow) -> bool:
    """True when the database was created now as a copy of the template. A template that cannot
    be used is no reason to refuse a customer: the database is then made by the migrations."""
    try:
        return await TEMPLATES.create(row.server_dsn, row.database)
    except Exception as exc:
        log.warning(
            "tenant template unusable; migrating instead",
            extra={"tenant_id": row.customer_id, "error": f"{type(exc).__name__}: {exc}"},
        )
        return False


async def _provision_locked(
    engine: AsyncEngine, customer_id: str, migrator: Migrator | None
) -> str:
    row = await _load(engine, customer_id)
    try:
        await _build(engine, row, migrator)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("provisioning failed", extra={"tenant_id": customer_id, "error": reason})
        async with workflow_step(engine) as conn:
            await tenants.mark_failed(conn, customer_id, reason)
        raise ProvisioningFailed(f"tenant {customer_id}: {reason}") from exc
    await _activate(engine, row)
    return row.database


async def provision(engine: AsyncEngine, customer_id: str, migrator: Migrator | None = None) -> str:
    """Create (if missing) and migrate the tenant's database; return its name."""
    async with _exclusive(engine, customer_id):
        return await _provision_locked(engine, customer_id, migrator)


async def resume_provisioning(
    engine: AsyncEngine, migrator: Migrator | None = None
) -> list[ProvisionOutcome]:
    """Finish every placement left in ``provisioning`` or ``failed``; one failure does not
    stop the others."""
    async with workflow_step(engine) as conn:
        pending = await tenants.placements_with_status(conn, ("provisioning", "failed"))
    outcomes = []
    for row in pending:
        try:
            await provision(engine, row.customer_id, migrator)
            outcomes.append(ProvisionOutcome(row.customer_id, row.database, "active"))
        except ProvisioningFailed as exc:
            outcomes.append(ProvisionOutcome(row.customer_id, row.database, "failed", exc.message))
    return outcomes


async def recreate(engine: AsyncEngine, customer_id: str, username: str, confirmation: str) -> str:
    """ADMIN-6 "Recreate": drop the tenant's database and provision an empty one.

    Destructive, so it needs ``confirmation`` equal to the tenant's username.
    """
    if confirmation != username:
        raise ConfirmationMismatch(f"type the username {username!r} to confirm the recreation")
    async with _exclusive(engine, customer_id):
        async with workflow_step(engine) as conn:
            row = await tenants.get_placement(conn, customer_id)
            if row is None:
                raise UnknownTenant(f"tenant {username!r} has no database")
            await tenants.mark_recreating(conn, customer_id)
        log.warning("recreating tenant database", extra={"tenant_id": customer_id})
        await servers.drop_database(row.server_dsn, row.database)
        return await _provision_locked(engine, customer_id, None)
