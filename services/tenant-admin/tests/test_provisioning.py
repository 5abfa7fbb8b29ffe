"""Provisioning across two servers, resume after crashes, guarded recreate, fleet upgrade."""

from __future__ import annotations

import asyncpg
import pytest

from kit.db import transaction
from tenant_admin.errors import ConfirmationMismatch, ProvisioningFailed
from tenant_admin.fleet.service import migrate_tenants
from tenant_admin.provisioning.service import provision, recreate, resume_provisioning
from tenant_admin.provisioning.template import TEMPLATE, TemplateCopier, server_lock
from tenant_admin.runtime import AdminRuntime
from tenant_admin.servers import repository as server_ddl
from tenant_admin.servers.service import tenant_dsn
from tenant_admin.tenants import repository as tenants
from tenant_admin.tenants.onboarding import create_tenant
from tenant_admin.tenants.service import register_customer
from tenant_schema import migrate as tenant_migrations
from testkit.postgres import asyncpg_dsn

from .helpers import tenant_request

HEAD = tenant_migrations.head_revision()


async def _placement(runtime: AdminRuntime, customer_id: str) -> tenants.PlacementRow:
    async with transaction(runtime.engine) as conn:
        row = await tenants.get_placement(conn, customer_id)
    assert row is not None
    return row


async def _revision(row: tenants.PlacementRow) -> str | None:
    return await tenant_migrations.current_revision(tenant_dsn(row.server_dsn, row.database))


async def test_tenants_spread_over_two_servers_and_are_migrated(two_servers: AdminRuntime) -> None:
    created = [await create_tenant(two_servers, tenant_request()) for _ in range(2)]
    rows = [await _placement(two_servers, c.tenant_id) for c in created]
    assert sorted(r.server_name for r in rows) == ["main", "second"]
    for row in rows:
        assert row.status == "active"
        assert row.schema_revision == HEAD
        assert await _revision(row) == HEAD


async def _register(runtime: AdminRuntime) -> str:
    async with transaction(runtime.engine) as conn:
        return (await register_customer(conn, tenant_request())).customer_id


async def _broken_migrator(_dsn: str) -> None:
    raise RuntimeError("simulated crash during migration")


async def test_resume_finishes_interrupted_provisioning(runtime: AdminRuntime) -> None:
    before_create = await _register(runtime)  # crashed before CREATE DATABASE
    after_create = await _register(runtime)  # crashed between CREATE DATABASE and migration
    row = await _placement(runtime, after_create)
    await server_ddl.create_database(row.server_dsn, row.database)
    failed = await _register(runtime)  # migration failed: status "failed"
    with pytest.raises(ProvisioningFailed):
        await provision(runtime.engine, failed, _broken_migrator)
    assert (await _placement(runtime, failed)).status == "failed"

    outcomes = await resume_provisioning(runtime.engine)

    assert {o.customer_id: o.status for o in outcomes} == dict.fromkeys(
        [before_create, after_create, failed], "active"
    )
    for customer_id in (before_create, after_create, failed):
        row = await _placement(runtime, customer_id)
        assert (row.status, await _revision(row)) == ("active", HEAD)
    assert await resume_provisioning(runtime.engine) == []


async def _meta_rows(row: tenants.PlacementRow) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(tenant_dsn(row.server_dsn, row.database)))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM tenant_meta"))
    finally:
        await conn.close()


async def _add_meta_row(row: tenants.PlacementRow) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(tenant_dsn(row.server_dsn, row.database)))
    try:
        await conn.execute("INSERT INTO tenant_meta (key, value) VALUES ('k', 'v')")
    finally:
        await conn.close()


async def test_recreate_needs_the_username_and_empties_the_database(runtime: AdminRuntime) -> None:
    created = await create_tenant(runtime, tenant_request())
    row = await _placement(runtime, created.tenant_id)
    await _add_meta_row(row)
    with pytest.raises(ConfirmationMismatch):
        await recreate(runtime.engine, created.tenant_id, created.username, "not-the-name")
    assert await _meta_rows(row) == 1

    await recreate(runtime.engine, created.tenant_id, created.username, created.username)

    assert await _meta_rows(row) == 0
    assert await _revision(row) == HEAD
    assert (await _placement(runtime, created.tenant_id)).status == "active"


async def test_migrate_tenants_reports_a_failure_and_upgrades_the_rest(
    runtime: AdminRuntime,
) -> None:
    current = await create_tenant(runtime, tenant_request())
    behind = await _placement(runtime, await _register(runtime))  # an empty, unmigrated db
    await server_ddl.create_database(behind.server_dsn, behind.database)
    broken = await _placement(runtime, await _register(runtime))  # its database vanished
    async with transaction(runtime.engine) as conn:
        await tenants.mark_active(conn, behind.customer_id, None)
        await tenants.mark_active(conn, broken.customer_id, None)
    lines: list[str] = []

    report = await migrate_tenants(runtime.engine, concurrency=2, progress=lines.append)

    assert (report.total, report.upgraded, report.ok) == (3, 2, False), report.failures
    assert await _revision(behind) == HEAD
    assert (await _placement(runtime, behind.customer_id)).schema_revision == HEAD
    assert (await _placement(runtime, current.tenant_id)).schema_revision == HEAD
    assert list(report.failures) == [broken.customer_id]
    template, *per_tenant = lines  # the servers' templates first: new customers copy them
    assert template.startswith("tenant template on") and template.endswith("at head")
    assert len(per_tenant) == 3
    assert any("FAILED" in line and broken.customer_id in line for line in per_tenant)


async def _comment(dsn: str, comment: str | None = None, *, write: bool = False) -> str | None:
    """A comment on tenant_meta: copied with a database, harmless to every other test."""
    conn = await asyncpg.connect(asyncpg_dsn(dsn))
    try:
        if write:
            literal = "NULL" if comment is None else f"'{comment}'"
            await conn.execute(f"COMMENT ON TABLE tenant_meta IS {literal}")
        found: str | None = await conn.fetchval("SELECT obj_description('tenant_meta'::regclass)")
        return found
    finally:
        await conn.close()


async def test_a_new_database_is_a_copy_of_the_migrated_template(runtime: AdminRuntime) -> None:
    first = await create_tenant(runtime, tenant_request())  # makes the template if missing
    server_dsn = (await _placement(runtime, first.tenant_id)).server_dsn
    template = tenant_dsn(server_dsn, TEMPLATE)
    marker = f"copied-{first.tenant_id}"
    async with server_lock(server_dsn):
        await _comment(template, marker, write=True)
    try:
        second = await create_tenant(runtime, tenant_request())
    finally:
        async with server_lock(server_dsn):
            await _comment(template, None, write=True)
    row = await _placement(runtime, second.tenant_id)
    assert await _comment(tenant_dsn(row.server_dsn, row.database)) == marker
    assert (row.status, await _revision(row)) == ("active", HEAD)


async def test_a_template_at_another_revision_is_rebuilt(runtime: AdminRuntime) -> None:
    created = await create_tenant(runtime, tenant_request())
    server_dsn = (await _placement(runtime, created.tenant_id)).server_dsn
    template = tenant_dsn(server_dsn, TEMPLATE)
    async with server_lock(server_dsn) as lock:  # no copy is made meanwhile
        conn = await asyncpg.connect(asyncpg_dsn(template))
        try:
            await conn.execute(f"UPDATE {tenant_migrations.VERSION_TABLE} SET version_num = 'x'")
        finally:
            await conn.close()
        assert await tenant_migrations.current_revision(template) == "x"
        await TemplateCopier.bring_to_head(lock, server_dsn)
    assert await tenant_migrations.current_revision(template) == HEAD
