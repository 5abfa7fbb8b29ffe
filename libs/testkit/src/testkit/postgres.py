"""Throwaway PostgreSQL databases on a real server.

Names are ``t_<purpose>_<random>`` so that a crashed run's leftovers are recognisable; each
fixture drops what it created, and ``drop_stale`` clears leftovers of older runs.
"""

from __future__ import annotations

import os
import re
import uuid

import asyncpg

from kit.db import ensure_database, sqlalchemy_dsn
from kit.db import libpq_dsn as asyncpg_dsn

__all__ = [
    "admin_dsn",
    "asyncpg_dsn",
    "create_database",
    "drop_database",
    "sqlalchemy_dsn",
    "unique_name",
]

DEFAULT_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
_SAFE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def admin_dsn() -> str:
    """The server tests run against (``EINV_TEST_PG_DSN``, else the local default)."""
    return os.environ.get("EINV_TEST_PG_DSN", DEFAULT_ADMIN_DSN)


def unique_name(purpose: str) -> str:
    name = f"t_{purpose}_{uuid.uuid4().hex[:10]}".lower()
    if not _SAFE.match(name):
        raise ValueError(f"bad database name {name!r}")
    return name


async def create_database(name: str, server_dsn: str | None = None) -> str:
    """Create ``name`` on the server; return its SQLAlchemy (asyncpg) DSN."""
    if not _SAFE.match(name):
        raise ValueError(f"bad database name {name!r}")
    dsn = sqlalchemy_dsn(server_dsn or admin_dsn(), name)
    if not await ensure_database(dsn):
        raise RuntimeError(f"database {name!r} already exists")
    return dsn


async def drop_database(name: str, server_dsn: str | None = None) -> None:
    if not _SAFE.match(name):
        raise ValueError(f"bad database name {name!r}")
    conn = await asyncpg.connect(asyncpg_dsn(server_dsn or admin_dsn()))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
