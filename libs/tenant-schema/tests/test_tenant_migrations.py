"""The tenant history upgrades an empty database and leaves the model and the schema equal."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import tenant_schema.invoices  # noqa: F401  (registers the invoice tables on metadata)
from tenant_schema import migrate
from tenant_schema.tables import metadata
from testkit.pg_fixtures import DatabaseFactory


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"version_table": migrate.VERSION_TABLE})
    return list(compare_metadata(context, metadata))


async def test_upgrade_is_idempotent_and_matches_the_model(new_database: DatabaseFactory) -> None:
    dsn = await new_database("tenant_schema")
    assert await migrate.current_revision(dsn) is None
    await migrate.upgrade(dsn)
    await migrate.upgrade(dsn)
    assert await migrate.current_revision(dsn) == migrate.head_revision()
    engine = create_async_engine(dsn, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()
