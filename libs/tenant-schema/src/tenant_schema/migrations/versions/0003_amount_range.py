"""Invoice totals hold myDATA's whole AmountType range (13 digits before the point).

Revision ID: t0003
Revises: t0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "t0003"
down_revision: str | None = "t0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY_COLUMNS = (
    "total_net",
    "total_vat",
    "total_withheld",
    "total_fees",
    "total_stamp_duty",
    "total_other_taxes",
    "total_deductions",
    "total_gross",
)


def _retype(old: sa.Numeric[Any], new: sa.Numeric[Any]) -> None:
    for column in _MONEY_COLUMNS:
        op.alter_column("invoices", column, type_=new, existing_type=old, existing_nullable=False)


def upgrade() -> None:
    # Widening a numeric rewrites nothing that fits already; every stored total fits.
    _retype(sa.Numeric(15, 5), sa.Numeric(18, 5))


def downgrade() -> None:
    _retype(sa.Numeric(18, 5), sa.Numeric(15, 5))
