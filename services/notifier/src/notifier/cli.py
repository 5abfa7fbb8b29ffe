"""Command line: ``python -m notifier`` (or ``.venv/bin/notifier``) — ``serve`` (default),
``migrate``, and on-call's ``list``, ``show`` and ``resend`` (docs/runbooks/notifications.md).

The on-call commands work on the notify database directly through the same service layer as
the internal API (each in one transaction); a resend is then sent by the running notifier's
sweep within ``EINV_NOTIFY_SWEEP_INTERVAL_S``.
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
from notifier.db.migrate import current_revision, prepare_database
from notifier.messages.service import MessageService
from notifier.rendering import Renderer
from notifier.settings import NotifierSettings

SERVICE = "notifier"
STATES = ("pending", "sending", "sent", "delivered", "failed", "unknown")


def _serve(settings: NotifierSettings) -> None:
    from notifier.main import create_app

    serve(create_app(settings), host=settings.bind_host, port=settings.port)


async def _migrate(settings: NotifierSettings) -> str | None:
    await prepare_database(settings.notify_dsn)
    return await current_revision(settings.notify_dsn)


Work = Callable[[MessageService, AsyncConnection], Awaitable[Any]]


async def _in_transaction(settings: NotifierSettings, work: Work) -> Any:
    engine = create_engine(settings.notify_dsn, pool_size=1)
    service = MessageService(settings, Renderer(), settings.keyring())
    try:
        async with transaction(engine) as conn:
            return await work(service, conn)
    finally:
        await engine.dispose()


def _on_call(args: argparse.Namespace) -> Work:
    if args.command == "list":
        states = args.state or ["unknown", "failed"]
        return lambda service, conn: service.in_states(conn, states, args.limit)
    if args.command == "show":
        return lambda service, conn: service.details(conn, args.notification_id)
    return lambda service, conn: service.resend(conn, args.notification_id, force=args.force)


def _print(result: Any) -> None:
    items = result if isinstance(result, list) else [result]
    for item in items:
        print(json.dumps(item.model_dump(mode="json"), ensure_ascii=False))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="notifier")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the service (the default)")
    commands.add_parser("migrate", help="create and upgrade the notify database")
    listing = commands.add_parser("list", help="messages by state (default: unknown, failed)")
    listing.add_argument("--state", action="append", choices=STATES)
    listing.add_argument("--limit", type=int, default=200)
    show = commands.add_parser("show", help="one message with every attempt")
    show.add_argument("notification_id")
    resend = commands.add_parser("resend", help="send a failed (or, forced, unknown) one again")
    resend.add_argument("notification_id")
    resend.add_argument("--force", action="store_true", help="also an unknown message")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = NotifierSettings()
    configure_logging(SERVICE, settings.log_level)
    if args.command in (None, "serve"):
        _serve(settings)
    elif args.command == "migrate":
        revision = asyncio.run(_migrate(settings))
        print(f"notify database at revision {revision}")
    else:
        try:
            _print(asyncio.run(_in_transaction(settings, _on_call(args))))
        except AppError as exc:
            sys.exit(f"{exc.title}: {exc.message}")
