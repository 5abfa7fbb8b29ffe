"""The operators' admin app: sessions, the audit trail, package history, the API call log,
"resend all" jobs, and the provisioning step shown while a database is created.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_now = sa.text("now()")
_zero = sa.text("0")


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    default = None if nullable else _now
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def _sessions() -> None:
    op.create_table(
        "operator_sessions",
        sa.Column("id_hash", sa.Text(), nullable=False),
        sa.Column("operator_id", sa.BigInteger(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("client_ip", sa.Text(), nullable=False),
        _at("created_at"),
        _at("last_seen_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("operator_sessions_operator", "operator_sessions", ["operator_id"])
    op.create_index("operator_sessions_expires", "operator_sessions", ["expires_at"])


def _actions() -> None:
    op.create_table(
        "operator_actions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("operator", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=True),
        sa.Column("username", sa.Text(), nullable=True),
        sa.Column(
            "detail",
            postgresql.JSONB(),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("client_ip", sa.Text(), nullable=False),
        _at("at"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("operator_actions_at", "operator_actions", ["at"])
    op.create_index("operator_actions_customer_at", "operator_actions", ["customer_id", "at"])


def _package_changes() -> None:
    op.create_table(
        "package_changes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("package_id", sa.BigInteger(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("old_call_limit", sa.Integer(), nullable=True),
        sa.Column("new_call_limit", sa.Integer(), nullable=False),
        _at("old_ends_at", nullable=True),
        sa.Column("new_ends_at", sa.DateTime(timezone=True), nullable=False),
        _at("at"),
        sa.CheckConstraint("kind IN ('sold', 'extended', 'limit')", name="package_changes_kind"),
        sa.ForeignKeyConstraint(["package_id"], ["packages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("package_changes_package", "package_changes", ["package_id", "at"])


def _api_calls() -> None:
    op.create_table(
        "api_calls",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("request_body", sa.Text(), server_default="", nullable=False),
        sa.Column("response_body", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("api_calls_customer_at", "api_calls", ["customer_id", "at"])
    op.create_index("api_calls_at", "api_calls", ["at"])


def _resend_jobs() -> None:
    op.create_table(
        "resend_jobs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("operator", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default="running", nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        *(
            sa.Column(name, sa.Integer(), server_default=_zero, nullable=False)
            for name in ("done", "transmitted", "rejected", "deferred", "errors")
        ),
        sa.Column("error", sa.Text(), nullable=True),
        _at("started_at"),
        _at("finished_at", nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'finished', 'failed', 'interrupted')", name="resend_jobs_state"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "resend_job_items",
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("transmission_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("temporary_code", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _at("at"),
        sa.CheckConstraint(
            "outcome IN ('transmitted', 'rejected', 'deferred', 'error')",
            name="resend_job_items_outcome",
        ),
        sa.ForeignKeyConstraint(["job_id"], ["resend_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "transmission_id"),
    )


def upgrade() -> None:
    op.add_column("tenant_databases", sa.Column("step", sa.Text(), nullable=True))
    _sessions()
    _actions()
    _package_changes()
    _api_calls()
    _resend_jobs()


def downgrade() -> None:
    for table in (
        "resend_job_items", "resend_jobs", "api_calls", "package_changes", "operator_actions",
        "operator_sessions",
    ):  # fmt: skip
        op.drop_table(table)
    op.drop_column("tenant_databases", "step")
