"""Run the webhooks database's Alembic history from code: ``await prepare_database(dsn)``.

The history ships inside the package; its version table is ``alembic_version_webhooks``.
Upgrades take a PostgreSQL advisory lock, so several processes starting together apply each
revision once. ``make run`` does not create the database: it is created when missing.
"""

from __future__ import annotations

from pathlib import Path

from kit.db import ensure_database
from kit.migrations import History

HISTORY = History(
    Path(__file__).parent / "migrations", "alembic_version_webhooks", "einv:migrate:webhooks"
)
VERSION_TABLE = HISTORY.version_table
upgrade = HISTORY.upgrade
current_revision = HISTORY.current
head_revision = HISTORY.head


async def prepare_database(dsn: str) -> None:
    """Create the database if needed and upgrade it to the head revision."""
    await ensure_database(dsn)
    await upgrade(dsn)
