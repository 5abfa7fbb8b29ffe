"""Command line: ``python -m mydata_sync [serve|migrate|reseal-codes]`` (``serve`` is the
default). ``reseal-codes`` is the middle step of a seal-key rotation (docs/security.md): with the
new key first in ``EINV_SEAL_KEYS`` and the old one still listed, every customer's stored GSIS
codes are sealed anew under the new key; then the old key can be dropped."""

from __future__ import annotations

import argparse
import asyncio

from kit.app import serve
from kit.db import create_engine
from kit.logs import configure_logging
from mydata_sync.db.migrate import current_revision, prepare_database
from mydata_sync.registry.service import reseal_all
from mydata_sync.settings import MydataSyncSettings

SERVICE = "mydata-sync"


def _serve(settings: MydataSyncSettings) -> None:
    from mydata_sync.main import create_app

    serve(create_app(settings), host=settings.bind_host, port=settings.port)


async def _reseal(settings: MydataSyncSettings) -> int:
    engine = create_engine(settings.sync_dsn, pool_size=1)
    try:
        return await reseal_all(engine, settings.keyring())
    finally:
        await engine.dispose()


async def _migrate(settings: MydataSyncSettings) -> str | None:
    await prepare_database(settings.sync_dsn)
    return await current_revision(settings.sync_dsn)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mydata_sync")
    parser.add_argument(
        "command", nargs="?", default="serve", choices=("serve", "migrate", "reseal-codes")
    )
    args = parser.parse_args(argv)
    settings = MydataSyncSettings()
    configure_logging(SERVICE, settings.log_level)
    if args.command == "reseal-codes":
        changed = asyncio.run(_reseal(settings))
        print(f"GSIS codes of {changed} customers sealed under key {settings.keyring().current!r}")
    elif args.command == "migrate":
        revision = asyncio.run(_migrate(settings))
        print(f"sync database at revision {revision}")
    else:
        _serve(settings)
