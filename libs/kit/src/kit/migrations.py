"""Alembic histories run from code (no ``alembic.ini``): one ``History`` per database kind.

Each owner (catalog, tenant, sync) ships its history inside its package and keeps its own
version table, so histories can never be confused. Upgrades take a PostgreSQL advisory lock
(several processes starting together apply a revision once) and, within one process, a single
lock for every history: Alembic's ``context``/``op`` are module-level proxies, so two runs that
interleave in one process corrupt each other, whichever histories they belong to.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

_in_process = asyncio.Lock()


@dataclass(frozen=True, slots=True)
class History:
    directory: Path
    version_table: str
    lock_key: str

    def config(self, connection: Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(self.directory))
        config.attributes["connection"] = connection
        return config

    def head(self) -> str | None:
        return ScriptDirectory.from_config(self.config()).get_current_head()

    async def upgrade(self, dsn: str, revision: str = "head") -> None:
        """Upgrade the database at ``dsn`` (SQLAlchemy asyncpg DSN) in one transaction."""
        engine = create_async_engine(dsn, poolclass=NullPool, hide_parameters=True)
        try:
            async with _in_process, engine.begin() as conn:
                await conn.run_sync(self._upgrade, revision)
        finally:
            await engine.dispose()

    def _upgrade(self, connection: Connection, revision: str) -> None:
        lock = text("SELECT pg_advisory_xact_lock(hashtext(:k))")
        connection.execute(lock, {"k": self.lock_key})
        command.upgrade(self.config(connection), revision)

    async def current(self, dsn: str) -> str | None:
        engine = create_async_engine(dsn, poolclass=NullPool, hide_parameters=True)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(self._current)
        finally:
            await engine.dispose()

    def _current(self, connection: Connection) -> str | None:
        opts = {"version_table": self.version_table}
        return MigrationContext.configure(connection, opts=opts).get_current_revision()

    async def drift(self, dsn: str, metadata: MetaData) -> list[object]:
        """Differences between ``metadata`` and the database's schema (empty: they agree)."""
        engine = create_async_engine(dsn, poolclass=NullPool, hide_parameters=True)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(self._drift, metadata)
        finally:
            await engine.dispose()

    def _drift(self, connection: Connection, metadata: MetaData) -> list[object]:
        opts = {"version_table": self.version_table}
        return list(compare_metadata(MigrationContext.configure(connection, opts=opts), metadata))

    def run_env(self, metadata: MetaData) -> None:
        """The body of the history's ``env.py``: migrate on the connection ``upgrade`` passed."""
        connection = context.config.attributes.get("connection")
        if connection is None:
            raise RuntimeError(f"run this history through History.upgrade ({self.directory})")
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=self.version_table,
            transaction_per_migration=False,
        )
        with context.begin_transaction():
            context.run_migrations()
