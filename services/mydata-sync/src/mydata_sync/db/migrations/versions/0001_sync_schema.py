"""Sync schema: transmissions, attempts, outbox, inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _transmissions() -> None:
    op.create_table(
        "transmissions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Text(), nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("customer_username", sa.Text(), nullable=False),
        sa.Column("temporary_code", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("announced_state", sa.Text(), nullable=True),
        sa.Column("mark", sa.Text(), nullable=True),
        sa.Column("authentication_code", sa.Text(), nullable=True),
        sa.Column("qr_url", sa.Text(), nullable=True),
        sa.Column(
            "errors",
            postgresql.JSONB(),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("invoice", postgresql.JSONB(), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("outage", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("lease_token", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TS, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "uid", name="transmissions_tenant_uid"),
        sa.CheckConstraint(
            "state IN ('pending','in_flight','transmitted','deferred','rejected')",
            name="transmissions_state",
        ),
    )
    op.create_index(
        "transmissions_due",
        "transmissions",
        ["next_attempt_at"],
        postgresql_where=sa.text("state IN ('deferred','in_flight','pending')"),
    )


def _attempts() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("transmission_id", sa.BigInteger(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("request_xml", sa.Text(), nullable=True),
        sa.Column("response_xml", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["transmission_id"], ["transmissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attempts_transmission_id", "attempts", ["transmission_id"])


def _outbox_inbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("routing_key", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=True),
        sa.Column("created_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("outbox_unsent", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("processed_at", TS, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "message_id"),
    )


def upgrade() -> None:
    _transmissions()
    _attempts()
    _outbox_inbox()


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_index("outbox_unsent", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_attempts_transmission_id", table_name="attempts")
    op.drop_table("attempts")
    op.drop_index("transmissions_due", table_name="transmissions")
    op.drop_table("transmissions")
