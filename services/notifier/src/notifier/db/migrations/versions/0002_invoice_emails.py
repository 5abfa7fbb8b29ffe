"""Invoice e-mails to their recipients (SPEC API-10): invoice_emails, attachments, the outbox,
and the invoice a message carries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _messages() -> None:
    op.add_column("messages", sa.Column("tenant_id", sa.Text(), nullable=True))
    op.add_column("messages", sa.Column("invoice_uid", sa.Text(), nullable=True))
    op.create_index(
        "messages_invoice",
        "messages",
        ["tenant_id", "invoice_uid", "id"],
        postgresql_where=sa.text("tenant_id IS NOT NULL"),
    )


def _attachments() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("message_pk", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("content", postgresql.BYTEA(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["message_pk"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_pk", "position", name="attachments_position"),
    )
    op.create_index("ix_attachments_message_pk", "attachments", ["message_pk"])


def _invoice_emails() -> None:
    op.create_table(
        "invoice_emails",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Text(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("mark", sa.Text(), nullable=False),
        sa.Column("authentication_code", sa.Text(), nullable=True),
        sa.Column("state", sa.Text(), server_default=sa.text("'resolving'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("lease_token", sa.Text(), nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("notification_id", sa.Text(), nullable=True),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("created_at", TS, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TS, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "uid", name="invoice_emails_invoice"),
        sa.CheckConstraint(
            "state IN ('resolving','queued','skipped','failed')", name="invoice_emails_state"
        ),
    )
    op.create_index(
        "invoice_emails_due",
        "invoice_emails",
        ["next_attempt_at"],
        postgresql_where=sa.text("state = 'resolving'"),
    )
    op.create_index("invoice_emails_tenant", "invoice_emails", ["tenant_id", "id"])


def _outbox() -> None:
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


def upgrade() -> None:
    _messages()
    _attachments()
    _invoice_emails()
    _outbox()


def downgrade() -> None:
    op.drop_index("outbox_unsent", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("invoice_emails_tenant", table_name="invoice_emails")
    op.drop_index("invoice_emails_due", table_name="invoice_emails")
    op.drop_table("invoice_emails")
    op.drop_index("ix_attachments_message_pk", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("messages_invoice", table_name="messages")
    op.drop_column("messages", "invoice_uid")
    op.drop_column("messages", "tenant_id")
