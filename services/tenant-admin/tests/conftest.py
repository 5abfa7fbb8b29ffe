"""Fixtures: a migrated throwaway catalog, a runtime on it, and a second PostgreSQL server.

Every tenant database a test creates is listed in its catalog, so the catalog fixture drops
them all (on whichever server) before dropping the catalog itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from catalog import migrate as catalog_migrations
from kit.db import transaction
from tenant_admin.runtime import AdminRuntime
from tenant_admin.servers import repository as server_ddl
from tenant_admin.servers.service import add_server
from tenant_admin.settings import TenantAdminSettings
from testkit.pg_fixtures import DatabaseFactory
from testkit.pg_instance_fixtures import second_pg_server  # noqa: F401  (until registered)
from testkit.postgres import admin_dsn, asyncpg_dsn


async def _drop_tenant_databases(catalog_dsn: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(catalog_dsn))
    try:
        rows = await conn.fetch(
            "SELECT s.dsn, t.database FROM tenant_databases t"
            " JOIN db_servers s ON s.id = t.server_id"
        )
    finally:
        await conn.close()
    for row in rows:
        await server_ddl.drop_database(row["dsn"], row["database"])


@pytest.fixture
async def catalog(new_database: DatabaseFactory) -> AsyncIterator[str]:
    dsn = await new_database("catalog")
    await catalog_migrations.upgrade(dsn)
    yield dsn
    await _drop_tenant_databases(dsn)


def settings_for(catalog_dsn: str) -> TenantAdminSettings:
    return TenantAdminSettings(
        environment="test", catalog_dsn=catalog_dsn, catalog_pool_size=3,
        tenant_db_server_dsn=admin_dsn(),
    )  # fmt: skip


@pytest.fixture
async def runtime(catalog: str) -> AsyncIterator[AdminRuntime]:
    """A runtime whose catalog knows one server: the main test server."""
    rt = AdminRuntime.build(settings_for(catalog))
    async with transaction(rt.engine) as conn:
        await add_server(conn, "main", admin_dsn(), max_tenants=100)
    yield rt
    await rt.close()


@pytest.fixture
async def two_servers(runtime: AdminRuntime, second_pg_server: str) -> AdminRuntime:  # noqa: F811
    async with transaction(runtime.engine) as conn:
        await add_server(conn, "second", second_pg_server, max_tenants=100)
    return runtime
