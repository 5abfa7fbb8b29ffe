"""Run an ASGI app on real uvicorn inside a test, on a free port, as an asyncio task.

Tests talk to it over real HTTP (keep-alive, body streaming, timeouts behave as in production),
which in-process ``ASGITransport`` does not show.

    async with serve_app(create_app(settings)) as base_url:
        ...

or, when the test must stop the server itself (e.g. "upstream goes down"):

    server = await start_server(app)
    ...
    await server.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp

STARTUP_LIMIT_S = 15.0


class _QuietServer(uvicorn.Server):
    """uvicorn's server without its signal handlers: the test runner owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class RunningServer:
    url: str
    port: int
    server: uvicorn.Server
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Graceful shutdown (lifespan shutdown runs); idempotent."""
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError, SystemExit):
            await self.task


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (useful for "upstream is down" cases)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _bound_socket(host: str) -> socket.socket:
    # Binding before uvicorn starts avoids the race of picking a port and losing it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


async def start_server(app: ASGIApp, *, host: str = "127.0.0.1", **config: Any) -> RunningServer:
    """Start ``app`` (its lifespan included) and return once it accepts connections."""
    sock = _bound_socket(host)
    port = sock.getsockname()[1]
    options: dict[str, Any] = {
        "lifespan": "on",
        "log_level": "warning",
        "access_log": False,
        "timeout_graceful_shutdown": 2,
        "proxy_headers": False,  # as the services run (kit.app.proxy_options, no proxy)
        **config,
    }
    server = _QuietServer(uvicorn.Config(app, **options))
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    running = RunningServer(f"http://{host}:{port}", port, server, task)
    try:
        await _wait_started(running)
    except BaseException:
        sock.close()  # on success uvicorn owns the socket and closes it at shutdown
        raise
    return running


async def _wait_started(running: RunningServer) -> None:
    deadline = asyncio.get_running_loop().time() + STARTUP_LIMIT_S
    while not running.server.started:
        if running.task.done():
            exc = running.task.exception() if not running.task.cancelled() else None
            raise RuntimeError(f"server failed to start: {exc!r}")
        if asyncio.get_running_loop().time() > deadline:
            await running.stop()
            raise TimeoutError("server did not start in time")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def serve_app(app: ASGIApp, **config: Any) -> AsyncIterator[str]:
    """Serve ``app`` for the duration of the block; yields its base URL."""
    running = await start_server(app, **config)
    try:
        yield running.url
    finally:
        await running.stop()
