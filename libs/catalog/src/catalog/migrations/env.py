"""Alembic environment of the catalog history; run only through ``catalog.migrate``."""

from __future__ import annotations

from alembic import context

from catalog.migrate import VERSION_TABLE
from catalog.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the catalog history with catalog.migrate.upgrade(dsn)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
