"""Pytest fixtures for real PostgreSQL: a factory of throwaway databases, dropped at the end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from testkit.postgres import admin_dsn, create_database, drop_database, unique_name

DatabaseFactory = Callable[[str], Awaitable[str]]


@pytest.fixture
async def new_database() -> AsyncIterator[DatabaseFactory]:
    """``await new_database("purpose")`` → DSN of an empty database on the test server."""
    created: list[str] = []

    async def make(purpose: str = "db") -> str:
        name = unique_name(purpose)
        dsn = await create_database(name)
        created.append(name)
        return dsn

    yield make
    for name in created:
        await drop_database(name)


@pytest.fixture(scope="session")
def pg_admin_dsn() -> str:
    return admin_dsn()
