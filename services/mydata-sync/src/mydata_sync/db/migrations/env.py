"""Alembic environment of the sync history; run only through ``mydata_sync.db.migrate``."""

from __future__ import annotations

from alembic import context

from mydata_sync.db.migrate import VERSION_TABLE
from mydata_sync.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the sync history with mydata_sync.db.migrate.upgrade(dsn)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
