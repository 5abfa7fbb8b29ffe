"""Fixtures: the notifier on real uvicorn (its delivery-report callback must be reachable), the
REAL devmail (SMTP server + SMS provider in Infobip's dialect) on free ports, commands published
through RabbitMQ like a producer's outbox relay would, and the notify database to look into.

devmail runs once per xdist worker; every test starts from ``/_admin/reset`` and uses fresh
notification ids. Timeouts, leases, back-off and the sweep are cut to fractions of a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest
import uvicorn

from contracts.events import NotificationRequested, envelope_of
from devmail.main import create_app as create_devmail
from devmail.settings import DevmailSettings
from kit.auth import TokenCodec, internal_audience
from kit.messaging import Broker, dlq_name, retry_queue_name
from kit.secrets import DEV_SEAL_KEYS, Keyring
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from notifications import new_notification_id, password_sms, username_email
from notifier.main import create_app
from notifier.runtime import NotifierRuntime
from notifier.settings import CALLBACK_PATH, NotifierSettings
from testkit.pg_fixtures import DatabaseFactory
from testkit.postgres import asyncpg_dsn
from testkit.servers import RunningServer, start_server

KEYRING = Keyring.parse(DEV_SEAL_KEYS)
PASSWORD = "Pa55-word!xyz"  # the secret the tests look for everywhere it must not be


# --- devmail --------------------------------------------------------------------------------


@dataclass
class Devmail:
    url: str
    smtp_port: int
    http: httpx.AsyncClient

    async def fault(self, switch: str, mode: str, **extra: Any) -> None:
        response = await self.http.post(f"/_admin/faults/{switch}", json={"mode": mode, **extra})
        response.raise_for_status()

    async def messages(self) -> dict[str, list[dict[str, Any]]]:
        response = await self.http.get("/_admin/messages")
        response.raise_for_status()
        body: dict[str, list[dict[str, Any]]] = response.json()
        return body

    async def emails_for(self, notification_id: str) -> list[dict[str, Any]]:
        emails = (await self.messages())["emails"]
        return [m for m in emails if m["message_id"].startswith(f"<{notification_id}@")]

    async def sms_for(self, notification_id: str) -> list[dict[str, Any]]:
        return [s for s in (await self.messages())["sms"] if s["callback_data"] == notification_id]

    async def report(self, message_id: str, status: str, part: int | None = None) -> None:
        body = {"status": status, "part": part}
        response = await self.http.post(f"/_admin/sms/{message_id}/report", json=body)
        response.raise_for_status()


@pytest.fixture(scope="session")
async def devmail_server() -> AsyncIterator[tuple[RunningServer, DevmailSettings]]:
    settings = DevmailSettings(environment="test", smtp_port=0, dlr_delay_s=0.1, hang_max_s=5.0)
    server = await start_server(create_devmail(settings))
    yield server, settings
    await server.stop()


@pytest.fixture
async def devmail(
    devmail_server: tuple[RunningServer, DevmailSettings],
) -> AsyncIterator[Devmail]:
    server, settings = devmail_server
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        (await http.post("/_admin/reset")).raise_for_status()
        yield Devmail(server.url, settings.smtp_port, http)
        await http.post("/_admin/reset")


# --- the notifier ---------------------------------------------------------------------------


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test runner owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Notifier:
    """A running notifier: its internal API, its runtime and its database."""

    url: str
    http: httpx.AsyncClient
    runtime: NotifierRuntime
    dsn: str

    async def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(asyncpg_dsn(self.dsn))
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def row(self, notification_id: str) -> asyncpg.Record:
        rows = await self.query(
            "SELECT * FROM messages WHERE notification_id = $1", notification_id
        )
        assert rows, f"no message {notification_id}"
        return rows[0]

    async def wait_state(
        self, notification_id: str, *states: str, within: float = 10.0
    ) -> asyncpg.Record:
        return await self.wait_for(notification_id, lambda row: row["state"] in states, within)

    async def wait_for(
        self, notification_id: str, done: Callable[[asyncpg.Record], bool], within: float = 10.0
    ) -> asyncpg.Record:
        async with asyncio.timeout(within):
            while True:
                rows = await self.query(
                    "SELECT * FROM messages WHERE notification_id = $1", notification_id
                )
                if rows and done(rows[0]):
                    return rows[0]
                await asyncio.sleep(0.05)

    async def sweep(self) -> None:
        await self.runtime.sweeper.sweep_once()


SettingsFactory = Callable[..., Awaitable[NotifierSettings]]
NotifierRunner = Callable[[NotifierSettings], AbstractAsyncContextManager[Notifier]]


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def notifier_socket() -> Iterator[socket.socket]:
    """The notifier's socket, bound first: its URL goes into its own settings (callbacks)."""
    sock = _bound_socket()
    yield sock
    sock.close()


@pytest.fixture
def notifier_settings(
    new_database: DatabaseFactory, amqp_url: str, devmail: Devmail, notifier_socket: socket.socket
) -> SettingsFactory:
    port = notifier_socket.getsockname()[1]

    async def make(**overrides: Any) -> NotifierSettings:
        values: dict[str, Any] = {
            "environment": "test",
            "notify_dsn": await new_database("notify"),
            "notify_pool_size": 3,
            "amqp_url": amqp_url,
            "smtp_port": devmail.smtp_port,
            "smtp_timeout_s": 1.0,
            "sms_base_url": devmail.url,
            "sms_timeout_s": 1.0,
            "sms_connect_timeout_s": 0.5,
            "sms_callback_url": f"http://127.0.0.1:{port}{CALLBACK_PATH}",
            "sms_status_check_s": (0.2,),
            "sms_not_found_checks": 2,
            "sms_not_found_resend_after_s": 0.3,
            "retry_backoff_s": (0.2,),
            "lease_s": 5.0,
            "sweep_interval_s": 3600.0,  # tests sweep by hand unless they ask otherwise
            "queue_retry_delays_s": (1,),
            "notify_queue": f"test.notifier.{uuid.uuid4().hex[:8]}",
            "invoice_queue": f"test.notifier.invoices.{uuid.uuid4().hex[:8]}",
        }
        return NotifierSettings(**(values | overrides))

    return make


@pytest.fixture
def running(notifier_socket: socket.socket, internal_headers: dict[str, str]) -> NotifierRunner:
    """``async with running(settings) as notifier:`` — served, migrated, consuming."""

    @asynccontextmanager
    async def run(settings: NotifierSettings) -> AsyncIterator[Notifier]:
        app = create_app(settings)
        config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
        server = _QuietServer(config)
        task = asyncio.get_running_loop().create_task(server.serve(sockets=[notifier_socket]))
        url = f"http://127.0.0.1:{notifier_socket.getsockname()[1]}"
        try:
            async with asyncio.timeout(20):
                while not server.started:
                    if task.done():
                        raise RuntimeError(f"notifier failed to start: {task.exception()!r}")
                    await asyncio.sleep(0.02)
            runtime: NotifierRuntime = app.state.runtime
            async with asyncio.timeout(20):
                await runtime.messaging_ready.wait()
            async with httpx.AsyncClient(base_url=url, headers=internal_headers) as http:
                yield Notifier(url, http, runtime, settings.notify_dsn)
        finally:
            server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError, SystemExit):
                await task
            await _delete_queues(settings)

    return run


async def _delete_queues(settings: NotifierSettings) -> None:
    """The test's queues go with it: bound to notification.requested and invoice.transmitted,
    they would collect a copy of every later test's commands and events."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for name in (settings.notify_queue, settings.invoice_queue):
            tiers = [retry_queue_name(name, delay) for delay in settings.queue_retry_delays_s]
            for queue in (name, dlq_name(name), *tiers):
                await channel.queue_delete(queue)


@pytest.fixture
def internal_headers() -> dict[str, str]:
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("notifier"))
    return {"Authorization": f"Bearer {codec.issue('tenant-admin', 300)[0]}"}


# --- commands -------------------------------------------------------------------------------


def sms_command(
    language: str = "el", password: str = PASSWORD, mobile: str = "6900000000", **extra: Any
) -> NotificationRequested:
    command = password_sms(
        KEYRING, notification_id=new_notification_id(), customer_id="c-1", mobile=mobile,
        language=language, password=password,  # type: ignore[arg-type]
    )  # fmt: skip
    return command.model_copy(update=extra)


def email_command(language: str = "el", **extra: Any) -> NotificationRequested:
    command = username_email(
        notification_id=new_notification_id(), customer_id="c-1", email="it@acme.example.gr",
        language=language, username="acme", serial="SN-2024-0042",  # type: ignore[arg-type]
    )  # fmt: skip
    return command.model_copy(update=extra)


SmsFactory = Callable[..., NotificationRequested]
EmailFactory = Callable[..., NotificationRequested]


@pytest.fixture
def make_sms() -> SmsFactory:
    """``make_sms(language="el", password=PASSWORD, mobile=…, **fields)``: a sealed SMS command."""
    return sms_command


@pytest.fixture
def make_email() -> EmailFactory:
    """``make_email(language="el", **fields)``: a username e-mail command."""
    return email_command


@pytest.fixture
def password() -> str:
    return PASSWORD


Publish = Callable[[NotificationRequested], Awaitable[None]]


@pytest.fixture
def publish(broker: Broker) -> Publish:
    """Publish a command as a producer's outbox relay does (a new message id each time)."""

    async def send(command: NotificationRequested) -> None:
        await broker.publish(envelope_of(command))

    return send
