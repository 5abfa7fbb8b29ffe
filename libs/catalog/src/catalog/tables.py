"""The catalog database: customers, users, operators, API tokens, packages, DB placement.

Owned by tenant-admin (which runs its Alembic history); the gateway reads tokens and spends
package calls with the statements in ``catalog.quota``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
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
from sqlalchemy.dialects.postgresql import ARRAY, INET

from kit.tables import inbox_table, outbox_table

metadata = MetaData()

_now = func.now()


def _timestamps() -> list[Column[object]]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=_now),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=_now),
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
    Column("language", Text, nullable=False, server_default="el"),
    Column("role", Text, nullable=False, server_default="customer"),
    Column("sees_data_of", ARRAY(Text), nullable=False, server_default="{}"),
    Column("contract_serial", Text, nullable=True),
    Column("contract_accepted_ip", INET, nullable=True),
    Column("contract_accepted_at", DateTime(timezone=True), nullable=True),
    Column("usage_accepted_ip", INET, nullable=True),
    Column("usage_accepted_at", DateTime(timezone=True), nullable=True),
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
    Column("last_login_at", DateTime(timezone=True), nullable=True),
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
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=_now),
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
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=_now),
    Index("api_tokens_customer", "customer_id"),
)

packages = Table(
    "packages",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("customer_id", Text, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
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
    *_timestamps(),
    UniqueConstraint("server_id", "database", name="tenant_databases_placement"),
    CheckConstraint(
        "status IN ('provisioning', 'active', 'failed')", name="tenant_databases_status"
    ),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
