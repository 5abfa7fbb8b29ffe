"""SQL for ``db_servers`` (catalog) and server-level DDL (CREATE/DROP DATABASE).

DDL runs on its own asyncpg connection in autocommit, because PostgreSQL refuses
CREATE/DROP DATABASE inside a transaction. Database names are validated by the caller
(``tenant_database_name``) and quoted here; they are never taken from user input.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from sqlalchemy import ScalarSelect, Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import db_servers, tenant_databases
from kit.db import ensure_database, libpq_dsn, with_database


@dataclass(frozen=True, slots=True)
class Server:
    id: int
    name: str
    dsn: str
    max_tenants: int
    enabled: bool
    tenants: int = 0


async def insert_server(conn: AsyncConnection, name: str, dsn: str, max_tenants: int) -> int:
    stmt = insert(db_servers).values(name=name, dsn=dsn, max_tenants=max_tenants)
    return int((await conn.execute(stmt.returning(db_servers.c.id))).scalar_one())


async def count_servers(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(db_servers))).scalar_one())


_PLACEMENT_LOCK = "einv:placement"


def _tenant_count() -> ScalarSelect[int]:
    return (
        select(func.count())
        .where(tenant_databases.c.server_id == db_servers.c.id)
        .scalar_subquery()
    )


def _servers_with_load() -> Select[tuple[int, str, str, int, bool, int]]:
    columns = db_servers.c["id", "name", "dsn", "max_tenants", "enabled"]
    return select(*columns, _tenant_count().label("tenants"))


async def list_servers(conn: AsyncConnection) -> list[Server]:
    rows = (await conn.execute(_servers_with_load().order_by(db_servers.c.id))).all()
    return [Server(**row._mapping) for row in rows]


async def least_loaded(conn: AsyncConnection) -> Server | None:
    """The enabled server with room and the lowest fill ratio.

    A transaction-scoped advisory lock serialises placements: the count is read after the
    lock is granted, so concurrent placements see each other's rows (once committed) and do
    not overfill one server. The lock ends with the caller's transaction.
    """
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(_PLACEMENT_LOCK))))
    count = _tenant_count()
    stmt = (
        _servers_with_load()
        .where(db_servers.c.enabled, count < db_servers.c.max_tenants)
        .order_by(count * 1.0 / db_servers.c.max_tenants, count, db_servers.c.id)
        .limit(1)
    )
    row = (await conn.execute(stmt)).first()
    return Server(**row._mapping) if row else None


async def database_exists(server_dsn: str, name: str) -> bool:
    conn = await asyncpg.connect(libpq_dsn(server_dsn))
    try:
        found = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    finally:
        await conn.close()
    return found is not None


async def create_database(server_dsn: str, name: str) -> bool:
    """Create ``name`` unless it exists; True if this call created it."""
    return await ensure_database(with_database(server_dsn, name))


async def drop_database(server_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(libpq_dsn(server_dsn))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
