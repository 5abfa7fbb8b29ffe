"""Liveness and readiness of mydata-sync against the real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import asyncio
import base64
from secrets import token_urlsafe
from typing import TYPE_CHECKING

import pytest

from mydata_sync.db.migrate import current_revision, head_revision
from mydata_sync.settings import MydataSyncSettings
from testkit.pg_fixtures import DatabaseFactory
from testkit.postgres import admin_dsn, drop_database, sqlalchemy_dsn, unique_name

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import AppClient


async def test_healthz_even_without_a_database(app_client: AppClient, closed_port: int) -> None:
    dsn = f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port}/einv_sync"
    async with app_client(MydataSyncSettings(environment="test", sync_dsn=dsn)) as http:
        response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "mydata-sync"}


async def test_readyz_ok_with_database_and_broker(
    app_client: AppClient, new_database: DatabaseFactory, amqp_url: str
) -> None:
    dsn = await new_database("sync")
    settings = MydataSyncSettings(environment="test", sync_dsn=dsn, amqp_url=amqp_url)
    async with app_client(settings) as http:
        await asyncio.wait_for(http.app.state.runtime.messaging_ready.wait(), 15)  # type: ignore[attr-defined]
        response = await http.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {
        "database": "ok",
        "schema": "ok",
        "broker": "ok",
        "mydata_circuit:closed": "ok",
    }


async def test_missing_database_is_created_and_migrated(
    app_client: AppClient, amqp_url: str
) -> None:
    name = unique_name("sync_created")
    dsn = sqlalchemy_dsn(admin_dsn(), name)
    settings = MydataSyncSettings(environment="test", sync_dsn=dsn, amqp_url=amqp_url)
    try:
        async with app_client(settings) as http:
            await asyncio.wait_for(http.app.state.runtime.schema_ready.wait(), 15)  # type: ignore[attr-defined]
            response = await http.get("/readyz")
        assert response.json()["checks"]["schema"] == "ok"
        assert await current_revision(dsn) == head_revision()
    finally:
        await drop_database(name)


async def test_readyz_503_when_server_and_broker_unreachable(
    app_client: AppClient, closed_port: int
) -> None:
    settings = MydataSyncSettings(
        environment="test",
        sync_dsn=f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port}/einv_sync",
        amqp_url=f"amqp://guest:guest@127.0.0.1:{closed_port}/",
    )
    async with app_client(settings) as http:
        response = await http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("error:")
    assert body["checks"]["schema"].startswith("error:")
    assert body["checks"]["broker"].startswith("error:")


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EINV_MYDATA_SYNC_PORT", "9104")
    monkeypatch.setenv("EINV_MYDATA_BASE_URL", "http://sim.test/myDataProvider")
    settings = MydataSyncSettings()
    assert settings.port == 9104
    assert settings.mydata_base_url == "http://sim.test/myDataProvider"


def test_defaults_point_at_local_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EINV_MYDATA_SYNC_PORT", "EINV_MYDATA_BASE_URL", "EINV_SYNC_DSN"):
        monkeypatch.delenv(name, raising=False)
    settings = MydataSyncSettings()
    assert settings.port == 8004
    assert settings.mydata_base_url == "http://127.0.0.1:8090/myDataProvider"
    assert settings.sync_dsn.endswith("/einv_sync")


def test_prod_requires_mydata_credentials() -> None:
    with pytest.raises(ValueError, match="EINV_MYDATA_USER_ID"):
        MydataSyncSettings(
            environment="prod",
            api_token_secret=token_urlsafe(32),
            internal_token_secret=token_urlsafe(32),
            operator_token_secret=token_urlsafe(32),
            seal_keys="k1:" + base64.b64encode(bytes(range(32))).decode(),
        )
