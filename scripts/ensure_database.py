"""Create a PostgreSQL database if it does not exist yet (used by ``make run``).

    python scripts/ensure_database.py            # the sync database (EINV_SYNC_DSN)
    python scripts/ensure_database.py --dsn DSN  # any database, named by a SQLAlchemy DSN

The database is created empty; its schema comes from its owner's Alembic history.
"""

from __future__ import annotations

import argparse
import asyncio

from kit.db import database_name, ensure_database
from mydata_sync.settings import MydataSyncSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="default: EINV_SYNC_DSN (mydata-sync's database)")
    dsn = parser.parse_args().dsn or MydataSyncSettings().sync_dsn
    try:
        created = asyncio.run(ensure_database(dsn))
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    print(f"database:    {database_name(dsn)} {'created' if created else 'already exists'}")


if __name__ == "__main__":
    main()
