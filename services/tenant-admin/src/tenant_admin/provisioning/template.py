"""New tenant databases as copies of a migrated template (``CREATE DATABASE … TEMPLATE``).

Running the tenant history's Alembic revisions for every new customer costs about a second of
CPU each; copying a database already at head costs PostgreSQL a file copy of a few megabytes
(ADR 0013). Each database server keeps one template, ``einv_tenant_template``:

- it is brought to this code's head revision before its first use by a process (and by
  ``migrate-tenants``); a template at any other revision, or half built, is dropped and built
  again from nothing, so no history, newer or older, is ever run on it in reverse;
- a server-wide advisory lock (on the ``postgres`` database) serialises building and copying,
  because PostgreSQL refuses to copy a database that has a session open on it.

Only a database this call created from an up-to-date template counts as ready: an existing one
(a provisioning resumed after a crash) still goes through the migrations, which are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from kit.db import libpq_dsn, sqlalchemy_dsn, with_database
from tenant_schema import migrate as tenant_migrations

log = logging.getLogger("tenant_admin.provisioning")

TEMPLATE = "einv_tenant_template"
_LOCK = "einv:tenant-template"


class TemplateCopier:
    """Copies of the migrated template, one server at a time; remembers the servers whose
    template this process has seen at head (it is checked again after a restart)."""

    def __init__(self) -> None:
        self._current: set[str] = set()

    async def create(self, server_dsn: str, database: str) -> bool:
        """Create ``database`` at head as a copy of the template; False when it existed."""
        async with server_lock(server_dsn) as conn:
            if await _exists(conn, database):
                return False
            if server_dsn not in self._current:
                await self.bring_to_head(conn, server_dsn)
                self._current.add(server_dsn)
            try:
                await conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{TEMPLATE}"')
            except asyncpg.ObjectInUseError:
                # A session was open on the template (an operator's psql): next time, rebuild.
                self._current.discard(server_dsn)
                raise
        log.info("tenant database copied from the template", extra={"database": database})
        return True

    async def refresh(self, server_dsn: str) -> None:
        """Bring the server's template to head now (``migrate-tenants``)."""
        async with server_lock(server_dsn) as conn:
            await self.bring_to_head(conn, server_dsn)
            self._current.add(server_dsn)

    @staticmethod
    async def bring_to_head(conn: asyncpg.Connection, server_dsn: str) -> None:
        """Rebuild the template unless it is at head; ``conn`` holds ``server_lock``."""
        dsn = sqlalchemy_dsn(server_dsn, TEMPLATE)
        if await _exists(conn, TEMPLATE):
            if await _revision(dsn) == tenant_migrations.head_revision():
                return
            log.warning("rebuilding the tenant template", extra={"server": _host(server_dsn)})
            await conn.execute(f'DROP DATABASE "{TEMPLATE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        await tenant_migrations.upgrade(dsn)


@asynccontextmanager
async def server_lock(server_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """The server-wide lock on the template (anyone writing into it takes it too)."""
    conn = await asyncpg.connect(libpq_dsn(with_database(server_dsn, "postgres")))
    try:
        await conn.execute("SELECT pg_advisory_lock(hashtext($1))", _LOCK)
        yield conn  # the lock ends with the session
    finally:
        await conn.close()


async def _exists(conn: asyncpg.Connection, database: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database))


async def _revision(dsn: str) -> str | None:
    """The template's revision; None when it has none or cannot say (half built)."""
    try:
        return await tenant_migrations.current_revision(dsn)
    except Exception as exc:  # a template that cannot be read is rebuilt
        log.warning("tenant template unreadable", extra={"error": str(exc)})
        return None


def _host(server_dsn: str) -> str:
    return server_dsn.rsplit("@", 1)[-1].split("/", 1)[0]
