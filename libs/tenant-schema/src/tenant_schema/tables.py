"""Tables of a tenant database. Owned by invoice-service at run time, created by tenant-admin."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Table, Text, func

from kit.tables import inbox_table, outbox_table

metadata = MetaData()

# Facts about the database itself (e.g. which customer it belongs to), so that a database found
# on a server without its catalog row can still be identified.
tenant_meta = Table(
    "tenant_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
