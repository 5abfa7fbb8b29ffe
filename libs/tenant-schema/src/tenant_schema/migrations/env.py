"""Alembic environment of the tenant history; run only through ``tenant_schema.migrate``."""

from __future__ import annotations

from alembic import context

from tenant_schema.migrate import VERSION_TABLE
from tenant_schema.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the tenant history with tenant_schema.migrate.upgrade(dsn)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
