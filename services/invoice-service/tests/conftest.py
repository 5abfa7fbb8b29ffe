"""Fixtures: the invoice-service app over real HTTP (httpx ASGITransport) and internal tokens."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

from invoice_service.main import create_app
from invoice_service.settings import InvoiceServiceSettings
from kit.auth import TokenCodec, internal_audience

TENANT_ID = "t-0001"


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def settings() -> InvoiceServiceSettings:
    return InvoiceServiceSettings(environment="test")


@pytest.fixture
def make_client() -> Callable[[FastAPI], httpx.AsyncClient]:
    def make(app: FastAPI) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")

    return make


@pytest.fixture
async def client(
    settings: InvoiceServiceSettings, make_client: Callable[[FastAPI], httpx.AsyncClient]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app), make_client(app) as http:
        yield http


@pytest.fixture
def internal_codec(settings: InvoiceServiceSettings) -> TokenCodec:
    return TokenCodec(
        settings.internal_token_secret, settings.token_issuer, internal_audience("invoice-service")
    )


@pytest.fixture
def gateway_headers(internal_codec: TokenCodec) -> dict[str, str]:
    """What the gateway forwards: a short-lived internal token and the tenant it resolved."""
    token, _ = internal_codec.issue(TENANT_ID, 60, tid=TENANT_ID)
    return {"Authorization": f"Bearer {token}", "X-Tenant-Id": TENANT_ID}
