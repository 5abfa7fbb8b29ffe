"""The catalog's Alembic history (version table ``alembic_version_catalog``), run from code:
``await upgrade(dsn)``. Two operators running migrate-catalog at once apply a revision once."""

from __future__ import annotations

from pathlib import Path

from kit.migrations import History

HISTORY = History(
    Path(__file__).parent / "migrations", "alembic_version_catalog", "einv:migrate:catalog"
)
VERSION_TABLE = HISTORY.version_table
upgrade = HISTORY.upgrade
current_revision = HISTORY.current
head_revision = HISTORY.head
