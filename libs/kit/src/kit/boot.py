"""Start-up of a service that owns a database and consumes from the broker, in the background.

A missing database or broker never crashes such a service: ``Boot`` prepares the database
(migrations, creating it if needed) until that works, then starts what needs only the schema
(the sweeps, so that work already recorded goes on while the broker is away), then connects the
broker and sets up consuming until that works. ``/healthz`` answers meanwhile and ``/readyz``
says what is missing (``Boot.checks``). ``runtime_lifespan`` builds a service's runtime from
``app.state.settings`` and starts and stops it with the application.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, Protocol

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.app import Lifespan, ReadinessCheck
from kit.db import ping
from kit.messaging import BackgroundStart, Broker
from kit.tasks import MIGRATION_TIMEOUT_S, cancel_and_wait, retry_until_done


class Boot:
    def __init__(
        self,
        service: str,
        *,
        database: str,
        prepare: Callable[[], Awaitable[None]],
        with_schema: Callable[[], None],
        broker: Broker,
        messaging: Callable[[], Awaitable[None]],
    ) -> None:
        """``database`` names it in logs and /readyz; ``prepare`` migrates it; ``with_schema``
        starts what needs the schema only; ``messaging`` declares and consumes once ``broker``
        is connected (``kit.messaging.BackgroundStart``: a failed try closes the connection,
        the next opens a fresh one)."""
        self.service = service
        self.database = database
        self._prepare = prepare
        self._with_schema = with_schema
        self._messaging = BackgroundStart(broker, lambda _broker: messaging())
        self.schema_ready = asyncio.Event()
        self.messaging_ready = self._messaging.connected
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.service}:boot")

    async def stop(self) -> None:
        """Stops a start-up still under way; what it started is the runtime's to stop."""
        await cancel_and_wait(self._task)

    async def _run(self) -> None:
        what = f"{self.database} migration"
        await retry_until_done(what, self._prepare, attempt_timeout_s=MIGRATION_TIMEOUT_S)
        self.schema_ready.set()
        self._with_schema()
        await self._messaging.run()

    async def check_schema(self) -> None:
        if not self.schema_ready.is_set():
            raise RuntimeError(f"{self.database} not migrated yet")

    async def check_broker(self) -> None:
        """The process's own broker connection is up, set up, and answers."""
        await self._messaging.ping()

    def checks(self, engine: AsyncEngine) -> dict[str, ReadinessCheck]:
        """``/readyz``: the database answers, its schema is ready, the broker is connected."""
        return {
            "database": partial(ping, engine),
            "schema": self.check_schema,
            "broker": self.check_broker,
        }


class ServiceRuntime(Protocol):
    def start(self) -> None: ...

    async def stop(self) -> None: ...


def runtime_lifespan(build: Callable[[Any], ServiceRuntime]) -> Lifespan:
    """The lifespan that builds ``app.state.runtime`` from ``app.state.settings``, starts it,
    and stops it when the application ends."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build(app.state.settings)
        app.state.runtime = runtime
        runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    return lifespan
