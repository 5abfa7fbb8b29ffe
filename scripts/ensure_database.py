"""Create a PostgreSQL database if it does not exist yet (used by ``make run``).

    python scripts/ensure_database.py            # the sync database (EINV_SYNC_DSN)
    python scripts/ensure_database.py --dsn DSN  # any database, named by a SQLAlchemy DSN

The database is created empty; its schema comes from its owner's Alembic history.
"""

from __future__ import annotations

import argparse
import asyncio
import re

import asyncpg
from sqlalchemy.engine import make_url

from mydata_sync.settings import MydataSyncSettings

# Only plain names: the name is interpolated into CREATE DATABASE (identifiers cannot be bound).
SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


async def ensure_database(dsn: str) -> bool:
    """Return True when the database was created, False when it was already there."""
    url = make_url(dsn)
    name = url.database or ""
    if not SAFE_NAME.match(name):
        raise SystemExit(f"refusing unusual database name {name!r}")
    server = url.set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except asyncpg.DuplicateDatabaseError:  # created concurrently by another run
        return False
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="default: EINV_SYNC_DSN (mydata-sync's database)")
    dsn = parser.parse_args().dsn or MydataSyncSettings().sync_dsn
    created = asyncio.run(ensure_database(dsn))
    name = make_url(dsn).database
    print(f"database:    {name} {'created' if created else 'already exists'}")


if __name__ == "__main__":
    main()
