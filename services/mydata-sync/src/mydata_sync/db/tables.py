"""Tables of the sync database (owned by mydata-sync only).

``transmissions`` holds one row per (tenant, uid): the invoice, the state machine
``pending → in_flight → transmitted | deferred | rejected`` (``deferred → in_flight`` again) and
the lease that keeps an invoice in one worker's hands. ``attempts`` keeps every myDATA call with
its raw XML. ``announced_state`` is the last state published as an event, so that an event goes
out exactly when the state an outsider can see changes. ``registry_codes`` keeps each customer's
GSIS special access codes, sealed with ``EINV_SEAL_KEYS`` for that customer alone.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from kit.tables import inbox_table, outbox_table, timestamp

STATES = ("pending", "in_flight", "transmitted", "deferred", "rejected")

metadata = MetaData()


transmissions = Table(
    "transmissions",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("invoice_id", BigInteger, nullable=False),
    Column("uid", Text, nullable=False),
    Column("customer_username", Text, nullable=False),
    Column("temporary_code", Text, nullable=False),
    Column("state", Text, nullable=False, server_default=text("'pending'")),
    Column("announced_state", Text, nullable=True),
    Column("mark", Text, nullable=True),
    Column("authentication_code", Text, nullable=True),
    Column("qr_url", Text, nullable=True),
    Column("errors", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("invoice", JSONB, nullable=False),
    Column("xml", Text, nullable=False),
    # True once a temporary string may have been issued: later sends carry transmissionFailure 2.
    Column("outage", Boolean, nullable=False, server_default=text("false")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    timestamp("last_attempt_at"),
    timestamp("next_attempt_at"),
    timestamp("lease_until"),
    Column("lease_token", Text, nullable=True),
    Column("last_error", Text, nullable=True),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    UniqueConstraint("tenant_id", "uid", name="transmissions_tenant_uid"),
    CheckConstraint(
        "state IN ('pending','in_flight','transmitted','deferred','rejected')",
        name="transmissions_state",
    ),
    Index(
        "transmissions_due",
        "next_attempt_at",
        postgresql_where=text("state IN ('deferred','in_flight','pending')"),
    ),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "transmission_id",
        BigInteger,
        ForeignKey("transmissions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    timestamp("started_at", nullable=False),
    timestamp("finished_at", nullable=False, default=True),
    Column("outcome", Text, nullable=False),
    Column("http_status", Integer, nullable=True),
    Column("request_xml", Text, nullable=True),
    Column("response_xml", Text, nullable=True),
    Column("error", Text, nullable=True),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)


registry_codes = Table(
    "registry_codes",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("sealed_username", Text, nullable=False),
    Column("sealed_password", Text, nullable=False),
    timestamp("saved_at", nullable=False, default=True),
    timestamp("refused_at"),
    Column("refusal", Text, nullable=True),
)
