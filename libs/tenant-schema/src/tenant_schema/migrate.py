"""Run the tenant database's Alembic history from code (no alembic.ini): ``await upgrade(dsn)``.

The history ships inside the package; its version table is ``alembic_version_tenant`` so that
it can never be confused with another history's (catalog, sync, notify).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from kit.migrations import History

HISTORY = History(
    Path(__file__).parent / "migrations", "alembic_version_tenant", "einv:migrate:tenant"
)
VERSION_TABLE = HISTORY.version_table
upgrade = HISTORY.upgrade
current_revision = HISTORY.current
head_revision = HISTORY.head


class MigrationFailed(RuntimeError):
    pass


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


def _main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "head"
    asyncio.run(upgrade(sys.stdin.readline().strip(), revision))


if __name__ == "__main__":
    _main()
