"""Portal sessions, the directory of public strings, the auditors' trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_now = sa.text("now()")


def _at(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=_now, nullable=False)


def upgrade() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("id_hash", sa.Text(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("client_ip", sa.Text(), nullable=False),
        sa.Column("acting_for", sa.Text(), nullable=True),
        _at("created_at"),
        _at("last_seen_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["acting_for"], ["customers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("portal_sessions_user", "portal_sessions", ["user_id"])
    op.create_index("portal_sessions_expires", "portal_sessions", ["expires_at"])
    op.create_table(
        "public_strings",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("tenant_id", sa.Text(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        _at("created_at"),
        sa.CheckConstraint(
            "kind IN ('authentication', 'temporary', 'temp_qr')", name="public_strings_kind"
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "audit_views",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("client_ip", sa.Text(), nullable=False),
        _at("at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("audit_views_customer_at", "audit_views", ["customer_id", "at"])


def downgrade() -> None:
    op.drop_table("audit_views")
    op.drop_table("public_strings")
    op.drop_table("portal_sessions")
