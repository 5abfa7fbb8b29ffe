"""Command line: ``python -m webhooks`` (or ``.venv/bin/webhooks``) — ``serve`` (default),
``migrate``, and on-call's ``backlog``, ``show`` and ``resend`` (docs/runbooks/webhooks.md).

The on-call commands work on the webhooks database directly, each in one transaction, through
the same service layer as the internal API (without the tenant scope: on-call sees every
customer's deliveries). A resend is then sent by the running service's sweep within
``EINV_WEBHOOKS_SWEEP_INTERVAL_S``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from kit.app import serve
from kit.db import create_engine, transaction
from kit.errors import AppError
from kit.logs import configure_logging
from webhooks.db.migrate import current_revision, prepare_database
from webhooks.deliveries import repository as repo
from webhooks.deliveries.service import DeliveryService
from webhooks.settings import WebhooksSettings

SERVICE = "webhooks"
Work = Callable[[DeliveryService, AsyncConnection], Awaitable[Any]]


def _serve(settings: WebhooksSettings) -> None:
    from webhooks.main import create_app

    serve(create_app(settings), host=settings.bind_host, port=settings.port)


async def _migrate(settings: WebhooksSettings) -> str | None:
    await prepare_database(settings.webhooks_dsn)
    return await current_revision(settings.webhooks_dsn)


async def _in_transaction(settings: WebhooksSettings, work: Work) -> Any:
    engine = create_engine(settings.webhooks_dsn, pool_size=1)
    try:
        async with transaction(engine) as conn:
            return await work(DeliveryService(settings), conn)
    finally:
        await engine.dispose()


async def _backlog(_: DeliveryService, conn: AsyncConnection, limit: int) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in await repo.backlog(conn, limit)]


async def _resend(service: DeliveryService, conn: AsyncConnection, args: argparse.Namespace) -> Any:
    if args.delivery_id is not None:
        return await service.resend(conn, None, args.delivery_id)
    ids = await repo.failed_of_endpoint(conn, args.failed_of_endpoint, args.limit)
    return [await service.resend(conn, None, i) for i in ids]


def _on_call(args: argparse.Namespace) -> Work:
    if args.command == "backlog":
        return lambda service, conn: _backlog(service, conn, args.limit)
    if args.command == "show":
        return lambda service, conn: service.details(conn, None, args.delivery_id)
    return lambda service, conn: _resend(service, conn, args)


def _print(result: Any) -> None:
    for item in result if isinstance(result, list) else [result]:
        shown = item if isinstance(item, dict) else item.model_dump(mode="json")
        print(json.dumps(shown, ensure_ascii=False, default=str))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="webhooks")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the service (the default)")
    commands.add_parser("migrate", help="create and upgrade the webhooks database")
    backlog = commands.add_parser("backlog", help="endpoints with deliveries waiting or failed")
    backlog.add_argument("--limit", type=int, default=50)
    show = commands.add_parser("show", help="one delivery: its body and every attempt")
    show.add_argument("delivery_id", type=int)
    resend = commands.add_parser("resend", help="send a delivery (or an endpoint's failed) again")
    which = resend.add_mutually_exclusive_group(required=True)
    which.add_argument("--delivery-id", type=int)
    which.add_argument("--failed-of-endpoint", type=int, metavar="ENDPOINT_ID")
    resend.add_argument("--limit", type=int, default=1000)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = WebhooksSettings()
    configure_logging(SERVICE, settings.log_level)
    if args.command in (None, "serve"):
        _serve(settings)
    elif args.command == "migrate":
        print(f"webhooks database at revision {asyncio.run(_migrate(settings))}")
    else:
        try:
            _print(asyncio.run(_in_transaction(settings, _on_call(args))))
        except AppError as exc:
            sys.exit(f"{exc.title}: {exc.message}")
