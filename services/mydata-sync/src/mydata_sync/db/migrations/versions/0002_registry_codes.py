"""registry_codes: each customer's GSIS special access codes, sealed (SPEC VAT-1).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "registry_codes",
        sa.Column("tenant_id", sa.Text(), primary_key=True),
        sa.Column("sealed_username", sa.Text(), nullable=False),
        sa.Column("sealed_password", sa.Text(), nullable=False),
        sa.Column("saved_at", TS, nullable=False, server_default=sa.func.now()),
        # Set when GSIS refused them: no more calls with these until new ones are stored.
        sa.Column("refused_at", TS, nullable=True),
        sa.Column("refusal", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("registry_codes")
