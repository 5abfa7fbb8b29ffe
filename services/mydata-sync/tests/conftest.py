"""Fixtures: the mydata-sync app over real HTTP (httpx ASGITransport)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest

from mydata_sync.main import create_app
from mydata_sync.settings import MydataSyncSettings

AppClient = Callable[[MydataSyncSettings], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def app_client() -> AppClient:
    """Run the app's lifespan (ASGITransport does not) and talk to it over HTTP."""

    @asynccontextmanager
    async def run(settings: MydataSyncSettings) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as http,
        ):
            yield http

    return run
