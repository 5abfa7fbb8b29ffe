"""migrate-tenants: upgrade every active tenant database with bounded concurrency, and each
server's tenant template (new customers' databases are copies of it).

One tenant's failure is recorded and reported; the others carry on. Each upgrade runs in a
child process, because Alembic cannot run two migrations at once in one process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import workflow_step
from tenant_admin.provisioning.service import TEMPLATES
from tenant_admin.servers import repository as servers
from tenant_admin.servers.service import tenant_dsn
from tenant_admin.tenants import repository as tenants
from tenant_admin.tenants.repository import PlacementRow
from tenant_schema import migrate as tenant_migrations

Reporter = Callable[[str], None]
Migrator = Callable[[str], Awaitable[None]]


@dataclass
class FleetReport:
    total: int = 0
    upgraded: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


async def _upgrade_one(
    engine: AsyncEngine, row: PlacementRow, migrator: Migrator, report: FleetReport
) -> str | None:
    """None on success, else the error."""
    dsn = tenant_dsn(row.server_dsn, row.database)
    try:
        # Checking first keeps the common "already at head" case cheap (no child process).
        if await tenant_migrations.current_revision(dsn) != tenant_migrations.head_revision():
            await migrator(dsn)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        report.failures[row.customer_id] = error
        return error
    async with workflow_step(engine) as conn:
        await tenants.set_revision(conn, row.customer_id, tenant_migrations.head_revision())
    report.upgraded += 1
    return None


async def migrate_tenants(
    engine: AsyncEngine,
    *,
    concurrency: int = 4,
    progress: Reporter = lambda _line: None,
    migrator: Migrator = tenant_migrations.upgrade_in_subprocess,
) -> FleetReport:
    started = time.monotonic()
    async with workflow_step(engine) as conn:
        rows = await tenants.placements_with_status(conn, ("active",))
        server_dsns = [server.dsn for server in await servers.list_servers(conn)]
    report = FleetReport(total=len(rows))
    for dsn in server_dsns:
        await _refresh_template(dsn, report, progress)
    gate = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def run(row: PlacementRow) -> None:
        nonlocal done
        async with gate:
            error = await _upgrade_one(engine, row, migrator, report)
        done += 1
        outcome = f"FAILED {error}" if error else "ok"
        progress(f"[{done}/{report.total}] {row.customer_id} {row.database}: {outcome}")

    await asyncio.gather(*(run(row) for row in rows))
    report.seconds = round(time.monotonic() - started, 3)
    return report


async def _refresh_template(server_dsn: str, report: FleetReport, progress: Reporter) -> None:
    try:
        await TEMPLATES.refresh(server_dsn)
    except Exception as exc:  # new customers then fall back to migrations; say so
        error = f"{type(exc).__name__}: {exc}"
        report.failures[f"template@{_where(server_dsn)}"] = error
        progress(f"tenant template: FAILED {error}")
    else:
        progress(f"tenant template on {_where(server_dsn)}: at head")


def _where(server_dsn: str) -> str:
    return server_dsn.rsplit("@", 1)[-1]
