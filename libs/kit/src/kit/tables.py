"""Table shapes that several databases share: the transactional outbox, the consumer inbox and
timestamp columns.

Each owner (catalog, tenant, sync, notify) adds them to its own metadata and creates them in its
own Alembic history with ``create_outbox_table``/``create_inbox_table``-equivalent migrations.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)


def timestamp(name: str, *, nullable: bool = True, default: bool = False) -> Column[object]:
    """A ``timestamptz`` column; ``default``: the server fills in ``now()``."""
    server_default = func.now() if default else None
    return Column(name, DateTime(timezone=True), nullable=nullable, server_default=server_default)


def outbox_table(metadata: MetaData) -> Table:
    """Messages written in the same transaction as the change they announce.

    ``body`` is the serialized envelope; the relay publishes unsent rows in id order and sets
    ``sent_at`` only after the broker confirmed the publish.
    """
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("message_id", Text, nullable=False, unique=True),
        Column("routing_key", Text, nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("headers", Text, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Index("outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
    )


def inbox_table(metadata: MetaData) -> Table:
    """Message ids a consumer has applied; written in the same transaction as the effect."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("message_id", Text, nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "message_id"),
    )
