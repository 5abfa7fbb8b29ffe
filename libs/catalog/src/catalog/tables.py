"""The catalog database: customers, users, operators, API tokens, packages, DB placement, and
the admin app's sessions, audit trail, package history, API call log and resend jobs.

Owned by tenant-admin (which runs its Alembic history); the gateway reads tokens, spends
package calls with the statements in ``catalog.quota`` and appends to ``api_calls``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB

from kit.tables import inbox_table, outbox_table, timestamp

metadata = MetaData()

_now = func.now()


def _timestamps() -> list[Column[object]]:
    return [
        timestamp("created_at", nullable=False, default=True),
        timestamp("updated_at", nullable=False, default=True),
    ]


db_servers = Table(
    "db_servers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    # Admin DSN of the server (any database); tenant DSNs replace the database name.
    Column("dsn", Text, nullable=False),
    Column("max_tenants", Integer, nullable=False, server_default=text("500")),
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
    *_timestamps(),
)

customers = Table(
    "customers",
    metadata,
    # Hex UUID: the tenant database name is derived from it and nothing else.
    Column("id", Text, primary_key=True),
    Column("company_name", Text, nullable=False),
    Column("vat", Text, nullable=False),
    Column("surname", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("mobile", Text, nullable=False),
    Column("email", Text, nullable=False),
    # The company's address as the registry gives it (VAT-1); optional.
    Column("address", Text, nullable=True),
    Column("language", Text, nullable=False, server_default="el"),
    Column("role", Text, nullable=False, server_default="customer"),
    Column("sees_data_of", ARRAY(Text), nullable=False, server_default="{}"),
    Column("contract_serial", Text, nullable=True),
    Column("contract_accepted_ip", INET, nullable=True),
    timestamp("contract_accepted_at"),
    Column("usage_accepted_ip", INET, nullable=True),
    timestamp("usage_accepted_at"),
    Column("must_change_password", Boolean, nullable=False, server_default=text("true")),
    Column("api_call_log", Boolean, nullable=False, server_default=text("false")),
    *_timestamps(),
    CheckConstraint("language IN ('el', 'en')", name="customers_language"),
    CheckConstraint("role IN ('customer', 'aade_user')", name="customers_role"),
)

users = Table(
    "users",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("username", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    timestamp("last_login_at"),
    *_timestamps(),
    CheckConstraint(r"username ~ '^[A-Za-z][A-Za-z0-9_-]{0,49}$'", name="users_username_format"),
    Index("users_username_ci", func.lower(text("username")), unique=True),
)

# VAT numbers a customer may issue under besides its own ``customers.vat`` (a group company, a
# branch with its own VAT number), authorised by an operator; the gateway binds them into the
# internal token and invoice-service refuses any other issuer.
issuer_vats = Table(
    "issuer_vats",
    metadata,
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
    Column("vat", Text, primary_key=True),
    Column("note", Text, nullable=True),
    timestamp("created_at", nullable=False, default=True),
)

operators = Table(
    "operators",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    *_timestamps(),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    # The token's ``jti``; the token itself is never stored, only its SHA-256.
    Column("id", Text, primary_key=True),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("label", Text, nullable=True),
    timestamp("expires_at", nullable=False),
    timestamp("revoked_at"),
    timestamp("created_at", nullable=False, default=True),
    Index("api_tokens_customer", "customer_id"),
)

packages = Table(
    "packages",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    timestamp("starts_at", nullable=False),
    timestamp("ends_at", nullable=False),
    Column("call_limit", Integer, nullable=False),
    Column("calls_used", Integer, nullable=False, server_default=text("0")),
    *_timestamps(),
    CheckConstraint("call_limit > 0", name="packages_limit_positive"),
    CheckConstraint("calls_used >= 0 AND calls_used <= call_limit", name="packages_calls_bounds"),
    CheckConstraint("ends_at > starts_at", name="packages_period"),
    Index("packages_customer_period", "customer_id", "ends_at"),
)

tenant_databases = Table(
    "tenant_databases",
    metadata,
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
    Column("server_id", Integer, ForeignKey("db_servers.id"), nullable=False),
    Column("database", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="provisioning"),
    Column("schema_revision", Text, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    # While provisioning: the step under way (the admin app shows it); kept when it failed.
    Column("step", Text, nullable=True),
    *_timestamps(),
    UniqueConstraint("server_id", "database", name="tenant_databases_placement"),
    CheckConstraint(
        "status IN ('provisioning', 'active', 'failed')", name="tenant_databases_status"
    ),
)

# Portal sessions, server-side (portal-web keeps only the opaque id in a cookie): the id's
# SHA-256, never the id; an idle limit (last_seen_at) and an absolute one (expires_at).
portal_sessions = Table(
    "portal_sessions",
    metadata,
    Column("id_hash", Text, primary_key=True),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", Text, nullable=False),
    Column("client_ip", Text, nullable=False),
    Column("acting_for", Text, ForeignKey("customers.id", ondelete="SET NULL"), nullable=True),
    timestamp("created_at", nullable=False, default=True),
    timestamp("last_seen_at", nullable=False, default=True),
    timestamp("expires_at", nullable=False),
    Index("portal_sessions_user", "user_id"),
    Index("portal_sessions_expires", "expires_at"),
)

# The directory of public strings (printed authentication strings, temporary ones, the
# temporary-QR key): which tenant's invoice a string names, so that the public search never
# scans tenant databases. Filled from mydata-sync's outcome events.
public_strings = Table(
    "public_strings",
    metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("tenant_id", Text, nullable=False),
    Column("uid", Text, nullable=False),
    timestamp("created_at", nullable=False, default=True),
    CheckConstraint(
        "kind IN ('authentication', 'temporary', 'temp_qr')", name="public_strings_kind"
    ),
)

# What auditors (AADE users) looked at: who, which customer, what, when, from where.
audit_views = Table(
    "audit_views",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("what", Text, nullable=False),
    Column("client_ip", Text, nullable=False),
    timestamp("at", nullable=False, default=True),
    Index("audit_views_customer_at", "customer_id", "at"),
)

# Operators' sessions of the admin app, server-side like the portal's: the id's SHA-256, never
# the id; an idle limit (last_seen_at) and an absolute one (expires_at).
operator_sessions = Table(
    "operator_sessions",
    metadata,
    Column("id_hash", Text, primary_key=True),
    Column(
        "operator_id", BigInteger, ForeignKey("operators.id", ondelete="CASCADE"), nullable=False
    ),
    Column("csrf_token", Text, nullable=False),
    Column("client_ip", Text, nullable=False),
    timestamp("created_at", nullable=False, default=True),
    timestamp("last_seen_at", nullable=False, default=True),
    timestamp("expires_at", nullable=False),
    Index("operator_sessions_operator", "operator_id"),
    Index("operator_sessions_expires", "expires_at"),
)

# Every operator action (the audit trail): who, what, on whose account, when, from where. The
# operator's name is copied, so the trail reads the same after an operator is disabled.
operator_actions = Table(
    "operator_actions",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("operator", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="SET NULL"), nullable=True),
    Column("username", Text, nullable=True),  # the customer's, copied for the same reason
    Column("detail", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("client_ip", Text, nullable=False),
    timestamp("at", nullable=False, default=True),
    Index("operator_actions_at", "at"),
    Index("operator_actions_customer_at", "customer_id", "at"),
)

# Every change of a package (ADMIN-10): sold, end moved, limit changed; who, when, before/after.
package_changes = Table(
    "package_changes",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("package_id", BigInteger, ForeignKey("packages.id", ondelete="CASCADE"), nullable=False),
    Column("changed_by", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("old_call_limit", Integer, nullable=True),
    Column("new_call_limit", Integer, nullable=False),
    timestamp("old_ends_at"),
    timestamp("new_ends_at", nullable=False),
    timestamp("at", nullable=False, default=True),
    CheckConstraint("kind IN ('sold', 'extended', 'limit')", name="package_changes_kind"),
    Index("package_changes_package", "package_id", "at"),
)

# The API calls of customers whose call log is on (ADMIN-9), written by the gateway in batches
# off the request path and purged by tenant-admin after EINV_API_CALL_LOG_DAYS. No foreign key:
# the gateway's inserts pay no lookup, and customers are never deleted.
api_calls = Table(
    "api_calls",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("customer_id", Text, nullable=False),
    timestamp("at", nullable=False),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("query", Text, nullable=False, server_default=""),
    Column("status", Integer, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("request_id", Text, nullable=True),
    Column("request_body", Text, nullable=False, server_default=""),
    Column("response_body", Text, nullable=False, server_default=""),
    Index("api_calls_customer_at", "customer_id", "at"),
    Index("api_calls_at", "at"),
)

# "Resend all" runs (ADMIN-8) as background jobs of tenant-admin: the progress the page polls,
# and one row per invoice with its outcome (a failure does not stop the rest).
resend_jobs = Table(
    "resend_jobs",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("operator", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="running"),
    Column("total", Integer, nullable=True),  # known once the list was read
    Column("done", Integer, nullable=False, server_default=text("0")),
    Column("transmitted", Integer, nullable=False, server_default=text("0")),
    Column("rejected", Integer, nullable=False, server_default=text("0")),
    Column("deferred", Integer, nullable=False, server_default=text("0")),
    Column("errors", Integer, nullable=False, server_default=text("0")),
    Column("error", Text, nullable=True),
    timestamp("started_at", nullable=False, default=True),
    timestamp("finished_at"),
    CheckConstraint(
        "state IN ('running', 'finished', 'failed', 'interrupted')", name="resend_jobs_state"
    ),
)

resend_job_items = Table(
    "resend_job_items",
    metadata,
    Column(
        "job_id", BigInteger, ForeignKey("resend_jobs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("transmission_id", BigInteger, primary_key=True),
    Column("username", Text, nullable=False),
    Column("temporary_code", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("message", Text, nullable=False),
    timestamp("at", nullable=False, default=True),
    CheckConstraint(
        "outcome IN ('transmitted', 'rejected', 'deferred', 'error')",
        name="resend_job_items_outcome",
    ),
)

# Connection-loss notices (A.1035/2020 art. 3 §3.4): an ERP that could not reach us tells us of
# each invoice it issued meanwhile. ``series_key``/``number_key`` are the normalised names the
# invoice is matched on when it arrives; ``receipt`` is what the customer is given.
connection_loss_notices = Table(
    "connection_loss_notices",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "receipt", Text, Computed("'N' || lpad(id::text, 8, '0')", persisted=True), nullable=False
    ),
    Column("tenant_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("issuer_vat", Text, nullable=False),
    Column("series", Text, nullable=False),
    Column("number", Text, nullable=False),
    Column("series_key", Text, nullable=False),
    Column("number_key", Text, nullable=False),
    Column("channel", Text, nullable=False),
    timestamp("received_at", nullable=False, default=True),
    timestamp("matched_at"),
    Column("matched_uid", Text, nullable=True),
    # The invoice arrived saying transmission_failure 1, as the law expects after a notice.
    Column("arrived_flagged", Boolean, nullable=True),
    UniqueConstraint(
        "tenant_id", "issuer_vat", "series_key", "number_key", name="connection_loss_notices_key"
    ),
    CheckConstraint("channel IN ('api', 'portal')", name="connection_loss_notices_channel"),
    Index(
        "connection_loss_notices_unmatched",
        "received_at",
        postgresql_where=text("matched_at IS NULL"),
    ),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
