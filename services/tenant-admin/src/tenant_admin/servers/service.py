"""Registering database servers and choosing where a new tenant database goes."""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from kit.db import sqlalchemy_dsn
from kit.errors import Conflict
from tenant_admin.errors import InvalidInput, NoDatabaseServer
from tenant_admin.servers import repository
from tenant_admin.servers.repository import Server

_SERVER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_TENANT_DB = re.compile(r"^tenant_[0-9a-f]{32}$")


def tenant_database_name(customer_id: str) -> str:
    """``tenant_<hex id>``: derived from our own id only, and checked before any DDL."""
    name = f"tenant_{customer_id}"
    if not _TENANT_DB.match(name):
        raise InvalidInput(f"not a valid tenant id: {customer_id!r}")
    return name


def tenant_dsn(server_dsn: str, database: str) -> str:
    """SQLAlchemy asyncpg DSN of ``database`` on the server with ``server_dsn``."""
    return sqlalchemy_dsn(server_dsn, database)


def _check_dsn(dsn: str) -> None:
    try:
        url = make_url(dsn)
    except ArgumentError:
        raise InvalidInput("the DSN is not a database URL") from None
    if not url.drivername.startswith("postgresql"):
        raise InvalidInput("the DSN must point at a PostgreSQL server")


async def add_server(conn: AsyncConnection, name: str, dsn: str, max_tenants: int = 500) -> int:
    if not _SERVER_NAME.match(name):
        raise InvalidInput(f"bad server name {name!r}")
    if max_tenants < 1:
        raise InvalidInput("max tenants must be at least 1")
    _check_dsn(dsn)
    try:
        async with conn.begin_nested():
            return await repository.insert_server(conn, name, dsn, max_tenants)
    except IntegrityError:
        raise Conflict(f"a database server named {name!r} exists") from None


async def ensure_default_server(conn: AsyncConnection, name: str, dsn: str, limit: int) -> bool:
    """Register the default server on a fresh install; True if it was added."""
    if await repository.count_servers(conn):
        return False
    await add_server(conn, name, dsn, limit)
    return True


async def choose_server(conn: AsyncConnection) -> Server:
    server = await repository.least_loaded(conn)
    if server is None:
        raise NoDatabaseServer("no enabled database server has room for another tenant")
    return server


async def list_servers(conn: AsyncConnection) -> list[Server]:
    return await repository.list_servers(conn)
