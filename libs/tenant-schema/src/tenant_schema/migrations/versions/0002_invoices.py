"""Invoices, their lines and every authentication string they answer to.

Revision ID: t0002
Revises: t0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "t0002"
down_revision: str | None = "t0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_now = sa.text("now()")
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


def _text(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _invoice_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        _text("uid", False),
        _text("pnr01"),
        _text("idempotency_key"),
        sa.Column("state", sa.Text(), server_default="pending", nullable=False),
        sa.Column("transmission_failure", sa.SmallInteger(), server_default="0", nullable=False),
        _text("mark"),
        _text("authentication_code"),
        _text("temporary_code", False),
        _text("qr_url"),
        _text("error_code"),
        sa.Column("errors", JSONB(), nullable=True),
        _text("issuer_vat", False),
        _text("counterpart_vat"),
        _text("series", False),
        _text("aa", False),
        _text("invoice_type", False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        *(
            sa.Column(c, sa.Numeric(15, 5), server_default="0", nullable=False)
            for c in _MONEY_COLUMNS
        ),
        sa.Column("request", JSONB(), nullable=False),
        _text("request_xml"),
        _text("response_xml"),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("transmitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "invoices",
        *_invoice_columns(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
        sa.CheckConstraint(
            "state IN ('pending', 'transmitted', 'deferred', 'rejected')", name="invoices_state"
        ),
    )
    op.create_index("invoices_pnr01", "invoices", ["pnr01"])
    op.create_index("invoices_issue_date", "invoices", ["issue_date"])
    op.create_index(
        "invoices_idempotency_key",
        "invoices",
        ["idempotency_key"],
        unique=True,
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
    )
    op.create_index(
        "invoice_lines_invoice", "invoice_lines", ["invoice_id", "position"], unique=True
    )
    op.create_table(
        "auth_codes",
        _text("code", False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        _text("kind", False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now, nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
        sa.CheckConstraint("kind IN ('temporary', 'mydata')", name="auth_codes_kind"),
    )
    op.create_index("auth_codes_invoice", "auth_codes", ["invoice_id"])


def downgrade() -> None:
    op.drop_table("auth_codes")
    op.drop_table("invoice_lines")
    op.drop_table("invoices")
