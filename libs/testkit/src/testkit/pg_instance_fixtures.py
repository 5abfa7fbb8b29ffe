"""Pytest fixture for a second PostgreSQL server (register in the root ``conftest.py``).

Each pytest-xdist worker starts its own instance on first use (initdb + start is about a
second), which is simpler and sturdier than sharing one across workers through a lock file.
``EINV_TEST_PG2_DSN`` points the fixture at an existing server instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from testkit.pg_instance import PgInstance


@pytest.fixture(scope="session")
def second_pg_server() -> Iterator[str]:
    """Admin DSN (libpq form, database ``postgres``) of a second PostgreSQL server."""
    existing = os.environ.get("EINV_TEST_PG2_DSN")
    if existing:
        yield existing
        return
    instance = PgInstance()
    try:
        yield instance.start()
    finally:
        instance.stop()
