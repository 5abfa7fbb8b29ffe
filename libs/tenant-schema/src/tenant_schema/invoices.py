"""Invoice tables of a tenant database (revision t0002).

``invoices`` keeps the ERP's request as received (``request``), the XML sent and the answer,
the state (``pending → transmitted | deferred → transmitted | rejected``) and the totals the
portal filters and sums on. ``auth_codes`` lets an invoice be found by every authentication
string it ever had: the temporary one and, once myDATA answered, the real one (SPEC API-6).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from kit.tables import timestamp
from tenant_schema.tables import metadata

STATES = ("pending", "transmitted", "deferred", "rejected")
TOTALS = (
    "net", "vat", "withheld", "fees", "stamp_duty", "other_taxes", "deductions", "gross",
)  # fmt: skip
# myDATA's AmountType: 13 digits before the point; the ERP may send 5 decimals.
_MONEY = Numeric(18, 5)


def _money(name: str) -> Column[Any]:
    return Column(name, _MONEY, nullable=False, server_default=text("0"))


invoices = Table(
    "invoices",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("uid", Text, nullable=False, unique=True),
    Column("pnr01", Text, nullable=True),
    Column("idempotency_key", Text, nullable=True),
    Column("state", Text, nullable=False, server_default="pending"),
    Column("transmission_failure", SmallInteger, nullable=False, server_default=text("0")),
    Column("mark", Text, nullable=True),
    Column("authentication_code", Text, nullable=True),
    Column("temporary_code", Text, nullable=False),
    Column("qr_url", Text, nullable=True),
    Column("error_code", Text, nullable=True),
    Column("errors", JSONB, nullable=True),
    Column("issuer_vat", Text, nullable=False),
    Column("counterpart_vat", Text, nullable=True),
    Column("series", Text, nullable=False),
    Column("aa", Text, nullable=False),
    Column("invoice_type", Text, nullable=False),
    Column("issue_date", Date, nullable=False),
    _money("total_net"),
    _money("total_vat"),
    _money("total_withheld"),
    _money("total_fees"),
    _money("total_stamp_duty"),
    _money("total_other_taxes"),
    _money("total_deductions"),
    _money("total_gross"),
    Column("request", JSONB, nullable=False),
    Column("request_xml", Text, nullable=True),
    Column("response_xml", Text, nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    timestamp("transmitted_at"),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    CheckConstraint(
        "state IN ('pending', 'transmitted', 'deferred', 'rejected')", name="invoices_state"
    ),
    Index("invoices_pnr01", "pnr01"),
    # The portal's list (keyset on issue_date, id, newest first) and its totals over a date
    # range: an index-only scan of the range (ADR 0007).
    Index(
        "invoices_by_date",
        "issue_date",
        "id",
        postgresql_include=["transmission_failure", *(f"total_{t}" for t in TOTALS)],
    ),
    Index("invoices_counterpart", "counterpart_vat", "issue_date", "id"),
    Index("invoices_series_aa", "series", "aa"),
    Index("invoices_aa", "aa"),
    Index(
        "invoices_idempotency_key",
        "idempotency_key",
        unique=True,
        postgresql_where=text("idempotency_key IS NOT NULL"),
    ),
)

# The portal's totals, rolled up per (day, series, loss flag) so that a year's totals add a few
# hundred rows instead of half a million (ADR 0007). A trigger on ``invoices`` marks every day
# whose rows change as dirty; a dirty day is summed from ``invoices`` until it is rolled up
# again, so the totals are always exact.
day_totals = Table(
    "day_totals",
    metadata,
    Column("issue_date", Date, primary_key=True),
    Column("series", Text, primary_key=True),
    Column("transmission_failure", SmallInteger, primary_key=True),
    Column("count", BigInteger, nullable=False),
    *(Column(f"total_{t}", _MONEY, nullable=False) for t in TOTALS),
)
dirty_days = Table(
    "dirty_days",
    metadata,
    Column("issue_date", Date, primary_key=True),
)

# The customer's business details on the invoice view and PDF (PORTAL-10): one row.
branding = Table(
    "branding",
    metadata,
    Column("id", SmallInteger, primary_key=True, server_default=text("1")),
    *(
        Column(f"{part}_{lang}", Text, nullable=False, server_default="")
        for part in ("details", "header", "footer")
        for lang in ("el", "en")
    ),
    Column("logo", LargeBinary, nullable=True),
    Column("logo_type", Text, nullable=True),
    timestamp("updated_at", nullable=False, default=True),
    CheckConstraint("id = 1", name="branding_one_row"),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("invoice_id", BigInteger, ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("body", JSONB, nullable=False),
    Index("invoice_lines_invoice", "invoice_id", "position", unique=True),
)

auth_codes = Table(
    "auth_codes",
    metadata,
    Column("code", Text, primary_key=True),
    Column("invoice_id", BigInteger, ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    timestamp("created_at", nullable=False, default=True),
    CheckConstraint("kind IN ('temporary', 'mydata')", name="auth_codes_kind"),
    Index("auth_codes_invoice", "invoice_id"),
)
