"""Notify schema: messages, attempts, delivery reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-30 12:00:00
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


def _int(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def _messages() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column(
            "params", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("sealed_params", postgresql.JSONB(), nullable=True),
        sa.Column("state", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        _int("attempts"),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("provider_message_id", sa.Text(), nullable=True),
        sa.Column("encoding", sa.Text(), nullable=True),
        sa.Column("parts", sa.Integer(), nullable=True),
        sa.Column("lease_token", sa.Text(), nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("handed_over_at", TS, nullable=True),
        sa.Column("next_attempt_at", TS, nullable=True),
        _int("not_found_checks"),
        _int("status_checks"),
        _int("resends"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("created_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TS, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id", name="messages_notification_id"),
        sa.UniqueConstraint("provider_message_id", name="messages_provider_message_id"),
        sa.CheckConstraint(
            "state IN ('pending','sending','sent','delivered','failed','unknown')",
            name="messages_state",
        ),
        sa.CheckConstraint("channel IN ('sms','email')", name="messages_channel"),
    )
    op.create_index(
        "messages_due",
        "messages",
        ["next_attempt_at"],
        postgresql_where=sa.text("state IN ('pending','unknown')"),
    )
    op.create_index(
        "messages_leased",
        "messages",
        ["lease_until"],
        postgresql_where=sa.text("state = 'sending'"),
    )
    op.create_index("messages_customer", "messages", ["customer_id", "id"])


def _attempts() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("message_pk", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("handed_over", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["message_pk"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attempts_message_pk", "attempts", ["message_pk"])


def _delivery_reports() -> None:
    op.create_table(
        "delivery_reports",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("provider_message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("part", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("raw", postgresql.JSONB(), nullable=False),
        sa.Column("applied", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("received_at", TS, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_message_id", "status", "part", name="delivery_reports_once"),
    )


def upgrade() -> None:
    _messages()
    _attempts()
    _delivery_reports()


def downgrade() -> None:
    op.drop_table("delivery_reports")
    op.drop_index("ix_attempts_message_pk", table_name="attempts")
    op.drop_table("attempts")
    op.drop_index("messages_customer", table_name="messages")
    op.drop_index("messages_leased", table_name="messages")
    op.drop_index("messages_due", table_name="messages")
    op.drop_table("messages")
