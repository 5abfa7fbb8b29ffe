"""The portal's list indexes (keyset by date), its day totals with their dirty-day trigger, and
the branding row (ADR 0007).

Revision ID: t0004
Revises: t0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0004"
down_revision: str | None = "t0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOTALS = ("net", "vat", "withheld", "fees", "stamp_duty", "other_taxes", "deductions", "gross")


def upgrade() -> None:
    op.drop_index("invoices_issue_date", table_name="invoices")
    op.create_index(
        "invoices_by_date",
        "invoices",
        ["issue_date", "id"],
        postgresql_include=["transmission_failure", *(f"total_{t}" for t in TOTALS)],
    )
    op.create_index("invoices_counterpart", "invoices", ["counterpart_vat", "issue_date", "id"])
    op.create_index("invoices_series_aa", "invoices", ["series", "aa"])
    op.create_index("invoices_aa", "invoices", ["aa"])
    _day_totals()
    texts = [
        sa.Column(f"{part}_{lang}", sa.Text(), server_default="", nullable=False)
        for part in ("details", "header", "footer")
        for lang in ("el", "en")
    ]
    op.create_table(
        "branding",
        sa.Column("id", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
        *texts,
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("id = 1", name="branding_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )


def _day_totals() -> None:
    op.create_table(
        "day_totals",
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("transmission_failure", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        *(sa.Column(f"total_{t}", sa.Numeric(18, 5), nullable=False) for t in TOTALS),
        sa.PrimaryKeyConstraint("issue_date", "series", "transmission_failure"),
    )
    op.create_table(
        "dirty_days",
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("issue_date"),
    )
    op.execute(MARK_DIRTY)
    op.execute(
        "CREATE TRIGGER invoices_mark_day_dirty AFTER INSERT OR DELETE OR UPDATE OF"
        " issue_date, series, transmission_failure, "
        + ", ".join(f"total_{t}" for t in TOTALS)
        + " ON invoices FOR EACH ROW EXECUTE FUNCTION mark_day_dirty()"
    )
    # Invoices issued before this revision: every day they fall on is summed afresh.
    op.execute("INSERT INTO dirty_days SELECT DISTINCT issue_date FROM invoices")


# A day whose invoices change is dirty until the next roll-up; ON CONFLICT DO NOTHING takes no
# row lock on an existing mark, so concurrent issuance on one day does not queue behind it.
MARK_DIRTY = """
CREATE FUNCTION mark_day_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO dirty_days VALUES (OLD.issue_date) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO dirty_days VALUES (NEW.issue_date) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$
"""


def downgrade() -> None:
    op.execute("DROP TRIGGER invoices_mark_day_dirty ON invoices")
    op.execute("DROP FUNCTION mark_day_dirty()")
    op.drop_table("dirty_days")
    op.drop_table("day_totals")
    op.drop_index("invoices_aa", table_name="invoices")
    op.drop_table("branding")
    op.drop_index("invoices_series_aa", table_name="invoices")
    op.drop_index("invoices_counterpart", table_name="invoices")
    op.drop_index("invoices_by_date", table_name="invoices")
    op.create_index("invoices_issue_date", "invoices", ["issue_date"])
