"""Tables of the webhooks database (owned by the webhooks service only).

``endpoints``: a customer's registered URL and the events it receives; ``endpoint_secrets``: its
signing secrets, sealed with the platform keyring (``kit.secrets``), valid while ``expires_at``
is NULL or in the future (two during a rotation). ``deliveries``: one row per (endpoint, event
id) — the unique constraint is what makes a redelivered event change nothing — holding the exact
body every attempt sends, with the state machine ``pending → sending → delivered | pending |
failed`` (a resend moves a final one back to ``pending``), the lease that keeps an attempt in
one worker's hands and ``give_up_at``, the end of its retry window. ``attempts``: every attempt
with the receiver's status code, the time it took and what went wrong.
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
from sqlalchemy.dialects.postgresql import ARRAY

from kit.tables import timestamp

STATES = ("pending", "sending", "delivered", "failed")

metadata = MetaData()


def _endpoint_fk() -> Column[int]:
    return Column(
        "endpoint_id", BigInteger, ForeignKey("endpoints.id", ondelete="CASCADE"), nullable=False
    )


endpoints = Table(
    "endpoints",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=text("''")),
    Column("events", ARRAY(Text), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    # Why the service disabled it (a 410 Gone); NULL when the customer did, or it is active.
    Column("disabled_reason", Text, nullable=True),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    Index("endpoints_tenant", "tenant_id", "id"),
)

endpoint_secrets = Table(
    "endpoint_secrets",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    _endpoint_fk(),
    Column("sealed", Text, nullable=False),
    # The last characters, so the customer can tell which secret their receiver holds.
    Column("hint", Text, nullable=False),
    timestamp("created_at", nullable=False, default=True),
    timestamp("expires_at"),
    Index("endpoint_secrets_endpoint", "endpoint_id"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    _endpoint_fk(),
    # The endpoint's tenant, copied: every read of the internal API is scoped by it.
    Column("tenant_id", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    # The JSON body as sent, byte for byte (text, not jsonb: its signature covers these bytes).
    Column("body", Text, nullable=False),
    Column("state", Text, nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("resends", Integer, nullable=False, server_default=text("0")),
    timestamp("next_attempt_at"),
    timestamp("give_up_at", nullable=False),
    Column("lease_token", Text, nullable=True),
    timestamp("lease_until"),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    timestamp("last_attempt_at"),
    timestamp("delivered_at"),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    UniqueConstraint("endpoint_id", "event_id", name="deliveries_once"),
    CheckConstraint("state IN ('pending','sending','delivered','failed')", name="deliveries_state"),
    Index("deliveries_due", "next_attempt_at", postgresql_where=text("state = 'pending'")),
    Index("deliveries_leased", "lease_until", postgresql_where=text("state = 'sending'")),
    Index("deliveries_endpoint", "endpoint_id", "id"),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        BigInteger,
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("number", Integer, nullable=False),
    # first, retry, resend (asked for in the portal), recovered (a crashed worker's attempt).
    Column("trigger", Text, nullable=False),
    timestamp("started_at", nullable=False),
    Column("duration_ms", Integer, nullable=True),
    Column("status_code", Integer, nullable=True),
    # delivered, retry, failed, recovered.
    Column("outcome", Text, nullable=False),
    Column("error", Text, nullable=True),
    Column("response_excerpt", Text, nullable=True),
)
