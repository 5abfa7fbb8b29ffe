"""invoice_emails.options: the e-mail options the outcome event carried (cp_vat, cp_country,
einv00), so that resolving an invoice's e-mail needs no round trip to invoice-service.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("invoice_emails", sa.Column("options", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("invoice_emails", "options")
