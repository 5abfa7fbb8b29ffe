"""The mydata-sync application: ``create_app`` wires settings, the sync database and health."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from kit.app import ReadinessCheck, create_service_app
from kit.db import create_engine, ping
from mydata_sync.health import check_broker
from mydata_sync.settings import MydataSyncSettings

SERVICE = "mydata-sync"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: MydataSyncSettings = app.state.settings
    # Creating an engine does not connect, so a missing database shows in /readyz, not a crash.
    app.state.sync_engine = create_engine(settings.sync_dsn)
    try:
        yield
    finally:
        await app.state.sync_engine.dispose()


def _readiness(app: FastAPI) -> Mapping[str, ReadinessCheck]:
    settings: MydataSyncSettings = app.state.settings
    return {
        "database": partial(ping, app.state.sync_engine),
        "broker": partial(check_broker, settings.amqp_url),
    }


def create_app(settings: MydataSyncSettings | None = None) -> FastAPI:
    app = create_service_app(SERVICE, lifespan=_lifespan, readiness=_readiness)
    app.state.settings = settings or MydataSyncSettings()
    return app
