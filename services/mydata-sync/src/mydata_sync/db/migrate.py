"""Run the sync database's Alembic history from code: ``await prepare_database(dsn)``.

The history ships inside the package; its version table is ``alembic_version_sync``. Upgrades
take a PostgreSQL advisory lock, so several mydata-sync processes starting together apply each
revision once. ``make run`` may not have created the database: it is created when missing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from kit.migrations import History

log = logging.getLogger("mydata_sync.migrate")

HISTORY = History(Path(__file__).parent / "migrations", "alembic_version_sync", "einv:migrate:sync")
VERSION_TABLE = HISTORY.version_table
upgrade = HISTORY.upgrade
current_revision = HISTORY.current
head_revision = HISTORY.head


async def ensure_database(dsn: str) -> bool:
    """Create the database named in ``dsn`` if it does not exist; True when created."""
    url = make_url(dsn)
    name = url.database or ""
    server = url.set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            await conn.execute(f"CREATE DATABASE {quoted}")
        except asyncpg.DuplicateDatabaseError:
            return False  # another process won the race
    finally:
        await conn.close()
    log.info("sync database created", extra={"database": name})
    return True


async def prepare_database(dsn: str) -> None:
    """Create the database if needed and upgrade it to the head revision."""
    await ensure_database(dsn)
    await upgrade(dsn)
