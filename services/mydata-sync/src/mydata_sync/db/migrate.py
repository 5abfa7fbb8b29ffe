"""Run the sync database's Alembic history from code: ``await prepare_database(dsn)``.

The history ships inside the package; its version table is ``alembic_version_sync``. Upgrades
take a PostgreSQL advisory lock, so several mydata-sync processes starting together apply each
revision once. ``make run`` may not have created the database: it is created when missing.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger("mydata_sync.migrate")

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_sync"
_LOCK_KEY = "einv:migrate:sync"
# Alembic's ``context``/``op`` are module-level proxies: one in-process run at a time.
_in_process = asyncio.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade(connection: Connection, revision: str) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": _LOCK_KEY})
    command.upgrade(alembic_config(connection), revision)


def _current(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


async def upgrade(dsn: str, revision: str = "head") -> None:
    """Upgrade the sync database at ``dsn`` (SQLAlchemy asyncpg DSN) in one transaction."""
    engine = create_async_engine(dsn, poolclass=NullPool)
    try:
        async with _in_process, engine.begin() as conn:
            await conn.run_sync(_upgrade, revision)
    finally:
        await engine.dispose()


async def current_revision(dsn: str) -> str | None:
    engine = create_async_engine(dsn, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current)
    finally:
        await engine.dispose()


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
