"""Liveness and readiness of invoice-service against the real broker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from invoice_service.main import create_app
from invoice_service.settings import InvoiceServiceSettings


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "invoice-service"}


async def test_readyz_ok_once_the_broker_answers(client: httpx.AsyncClient) -> None:
    # The broker connection is made in the background: ready within a few seconds.
    for _ in range(100):
        response = await client.get("/readyz")
        if response.status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"broker": "ok"}


async def test_readyz_503_when_broker_unreachable(
    make_client: Callable[[FastAPI], httpx.AsyncClient], closed_port: int
) -> None:
    url = f"amqp://guest:guest@127.0.0.1:{closed_port}/"
    app = create_app(InvoiceServiceSettings(environment="test", amqp_url=url))
    async with app.router.lifespan_context(app), make_client(app) as http:
        response = await http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("error:")


def test_port_comes_from_its_own_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EINV_INVOICE_SERVICE_PORT", "9103")
    monkeypatch.setenv("EINV_BIND_HOST", "0.0.0.0")
    settings = InvoiceServiceSettings()
    assert (settings.port, settings.bind_host) == (9103, "0.0.0.0")


def test_default_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EINV_INVOICE_SERVICE_PORT", raising=False)
    assert InvoiceServiceSettings().port == 8003
