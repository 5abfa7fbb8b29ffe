"""devmail on real uvicorn with its SMTP server on a free port, reset for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from devmail.main import create_app
from devmail.settings import DevmailSettings
from testkit.servers import RunningServer, start_server

API_KEY = {"Authorization": "App dev-only-sms-api-key"}


@dataclass
class Running:
    http: httpx.AsyncClient
    smtp_port: int


@pytest.fixture(scope="session")
async def devmail_server() -> AsyncIterator[tuple[RunningServer, DevmailSettings]]:
    settings = DevmailSettings(environment="test", smtp_port=0, dlr_delay_s=0.05, hang_max_s=2)
    server = await start_server(create_app(settings))
    yield server, settings
    await server.stop()


@pytest.fixture
async def devmail(devmail_server: tuple[RunningServer, DevmailSettings]) -> AsyncIterator[Running]:
    server, settings = devmail_server
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        (await http.post("/_admin/reset")).raise_for_status()
        yield Running(http, settings.smtp_port)


@pytest.fixture
def api_key() -> dict[str, str]:
    return dict(API_KEY)
