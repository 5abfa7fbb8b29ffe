"""Run the tenant database's Alembic history from code (no alembic.ini): ``await upgrade(dsn)``.

The history ships inside the package; its version table is ``alembic_version_tenant`` so that
it can never be confused with another history's (catalog, sync, notify).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_tenant"
# Two provisioners (or a fleet upgrade and a resume) at once must not both apply the same revision.
_LOCK_KEY = "einv:migrate:tenant"
# Alembic's ``context`` and ``op`` are module-level proxies: two runs interleaving in one
# process corrupt each other. One in-process run at a time; for real parallelism across many
# tenant databases use ``upgrade_in_subprocess``.
_in_process = asyncio.Lock()


class MigrationFailed(RuntimeError):
    pass


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
    """Upgrade the tenant database at ``dsn`` (SQLAlchemy asyncpg DSN) in one transaction."""
    engine = create_async_engine(dsn, poolclass=NullPool)
    try:
        async with _in_process, engine.begin() as conn:
            await conn.run_sync(_upgrade, revision)
    finally:
        await engine.dispose()


async def upgrade_in_subprocess(dsn: str, revision: str = "head") -> None:
    """``upgrade`` in a child Python process, so that many databases can upgrade at once.

    The DSN goes through stdin, not argv, so that its password never shows in ``ps``.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tenant_schema.migrate", revision,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await process.communicate(dsn.encode() + b"\n")
    if process.returncode:
        lines = stderr.decode(errors="replace").strip().splitlines()
        raise MigrationFailed(lines[-1] if lines else f"exit status {process.returncode}")


async def current_revision(dsn: str) -> str | None:
    engine = create_async_engine(dsn, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current)
    finally:
        await engine.dispose()


def _main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "head"
    asyncio.run(upgrade(sys.stdin.readline().strip(), revision))


if __name__ == "__main__":
    _main()
