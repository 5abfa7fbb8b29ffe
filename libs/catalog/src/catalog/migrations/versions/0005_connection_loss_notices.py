"""Connection-loss notices (A.1035/2020 art. 3 §3.4): recorded with a receipt, matched when the
invoice arrives.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "connection_loss_notices",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column(
            "receipt",
            sa.Text(),
            sa.Computed("'N' || lpad(id::text, 8, '0')", persisted=True),
            nullable=False,
        ),
        sa.Column("tenant_id", sa.Text(), nullable=False),
        sa.Column("issuer_vat", sa.Text(), nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("series_key", sa.Text(), nullable=False),
        sa.Column("number_key", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("received_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("matched_at", TS, nullable=True),
        sa.Column("matched_uid", sa.Text(), nullable=True),
        sa.Column("arrived_flagged", sa.Boolean(), nullable=True),
        sa.CheckConstraint("channel IN ('api', 'portal')", name="connection_loss_notices_channel"),
        sa.ForeignKeyConstraint(["tenant_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "tenant_id",
            "issuer_vat",
            "series_key",
            "number_key",
            name="connection_loss_notices_key",
        ),
    )
    op.create_index(
        "connection_loss_notices_unmatched",
        "connection_loss_notices",
        ["received_at"],
        postgresql_where=sa.text("matched_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("connection_loss_notices")
