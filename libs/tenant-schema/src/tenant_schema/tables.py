"""Tables of a tenant database. Owned by invoice-service at run time, created by tenant-admin."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, Table, Text

from kit.tables import inbox_table, outbox_table, timestamp

metadata = MetaData()

# Facts about the database itself (e.g. which customer it belongs to), so that a database found
# on a server without its catalog row can still be identified.
tenant_meta = Table(
    "tenant_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    timestamp("updated_at", nullable=False, default=True),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
