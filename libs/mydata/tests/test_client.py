"""ProviderClient against a real local aiohttp server: every failure mode, no HTTP mocks."""

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from aiohttp import web

from mydata.client import ProviderClient
from mydata.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    MalformedResponse,
    RequestTimeout,
    ServerError,
    UnexpectedStatus,
)
from mydata.response import Registered

USER, KEY = "provider-user", "secret-key"
SERIALIZATION = "http://schemas.microsoft.com/2003/10/Serialization/"


def _authorised(request: web.Request) -> bool:
    headers = request.headers
    return headers.get("aade-user-id") == USER and headers.get("ocp-apim-subscription-key") == KEY


def _app(samples: Path) -> web.Application:
    success = (
        samples / "synthetic" / "synthetic_provider_send_invoices_success_response.xml"
    ).read_bytes()
    provider_doc = (samples / "synthetic" / "synthetic_requested_provider_doc.xml").read_bytes()
    receiver = (samples / "synthetic" / "synthetic_receiver_info_doc.xml").read_bytes()

    async def send(request: web.Request) -> web.Response:
        body = await request.read()
        if not _authorised(request):
            return web.Response(status=401)  # like APIM: no body at all
        assert request.content_type == "application/xml" and body.startswith(b"<InvoicesDoc")
        return web.Response(body=success, content_type="application/xml")

    async def transmitted(request: web.Request) -> web.Response:
        assert dict(request.query) == {"issuervat": "999999999", "mark": "0"}
        return web.Response(body=provider_doc, content_type="application/xml")

    async def receiver_info(request: web.Request) -> web.Response:
        assert request.query["vatNumber"] == "888888888"
        return web.Response(body=receiver, content_type="application/xml")

    async def boom(_: web.Request) -> web.Response:
        return web.Response(status=500, text="Internal Server Error")

    async def bad_request(_: web.Request) -> web.Response:
        return web.Response(status=400, text="General Exception Error")

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=success)

    async def garbage(_: web.Request) -> web.Response:
        return web.Response(body=b"\x00\xffnot xml", content_type="text/html")

    async def wrapped(_: web.Request) -> web.Response:
        text = f'<string xmlns="{SERIALIZATION}">{escape(success.decode())}</string>'
        return web.Response(text=text, content_type="application/xml")

    async def hang_up(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        await asyncio.sleep(0.05)
        return web.Response(body=success)

    app = web.Application()
    app.router.add_post("/ok/myDataProvider/SendInvoices", send)
    app.router.add_get("/ok/myDataProvider/RequestTransmittedDocs", transmitted)
    app.router.add_get("/ok/myDataProvider/RequestReceiverInfo", receiver_info)
    for name, handler in [
        ("boom", boom),
        ("bad", bad_request),
        ("slow", slow),
        ("garbage", garbage),
        ("wrapped", wrapped),
        ("hangup", hang_up),
    ]:
        app.router.add_post(f"/{name}/myDataProvider/SendInvoices", handler)
    return app


@pytest.fixture
async def server(samples: Path) -> AsyncIterator[str]:
    runner = web.AppRunner(_app(samples), shutdown_timeout=0.1)  # do not wait for "slow"
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def _client(base: str, *, key: str = KEY) -> ProviderClient:
    return ProviderClient(base, USER, key, timeout=0.5, connect_timeout=0.5)


XML = b"<InvoicesDoc/>"


async def test_send_invoices_success(server: str) -> None:
    async with _client(f"{server}/ok/myDataProvider/") as client:
        answer = await client.send_invoices(XML)
    (entry,) = answer.value
    assert isinstance(entry, Registered) and entry.mark == 400001951234567
    assert answer.raw.status == 200 and answer.raw.request_body == XML
    assert answer.raw.url.endswith("/ok/myDataProvider/SendInvoices")
    assert answer.raw.response_body and b"<ResponseDoc" in answer.raw.response_body


async def test_401_without_body(server: str) -> None:
    async with _client(f"{server}/ok/myDataProvider", key="wrong") as client:
        with pytest.raises(AuthenticationFailed) as caught:
            await client.send_invoices(XML)
    assert caught.value.raw is not None and caught.value.raw.response_body == b""
    assert caught.value.ambiguous is False


async def test_500(server: str) -> None:
    async with _client(f"{server}/boom/myDataProvider") as client:
        with pytest.raises(ServerError) as caught:
            await client.send_invoices(XML)
    assert caught.value.status == 500 and caught.value.ambiguous


async def test_other_status(server: str) -> None:
    async with _client(f"{server}/bad/myDataProvider") as client:
        with pytest.raises(UnexpectedStatus) as caught:
            await client.send_invoices(XML)
    assert (
        caught.value.raw is not None
        and caught.value.raw.response_body == b"General Exception Error"
    )


async def test_timeout_is_ambiguous(server: str) -> None:
    async with _client(f"{server}/slow/myDataProvider") as client:
        with pytest.raises(RequestTimeout) as caught:
            await client.send_invoices(XML)
    assert caught.value.ambiguous and caught.value.raw is not None
    assert caught.value.raw.request_body == XML and caught.value.raw.status is None


async def test_garbage_body(server: str) -> None:
    async with _client(f"{server}/garbage/myDataProvider") as client:
        with pytest.raises(MalformedResponse) as caught:
            await client.send_invoices(XML)
    assert caught.value.raw is not None and caught.value.raw.response_body == b"\x00\xffnot xml"


async def test_wrapped_body(server: str) -> None:
    async with _client(f"{server}/wrapped/myDataProvider") as client:
        answer = await client.send_invoices(XML)
    assert isinstance(answer.value[0], Registered)


async def test_dropped_connection_is_ambiguous(server: str) -> None:
    async with _client(f"{server}/hangup/myDataProvider") as client:
        with pytest.raises(ConnectionFailed) as caught:
            await client.send_invoices(XML)
    assert caught.value.ambiguous


async def test_connection_refused_is_not_ambiguous() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with _client(f"http://127.0.0.1:{port}/myDataProvider") as client:
        with pytest.raises(ConnectionFailed) as caught:
            await client.send_invoices(XML)
    assert caught.value.ambiguous is False


async def test_request_transmitted_docs(server: str) -> None:
    async with _client(f"{server}/ok/myDataProvider") as client:
        answer = await client.request_transmitted_docs(0, issuer_vat="999999999")
    found = answer.value.find_by_uid("0C2E8B7F6A5D4C3B2A1908F7E6D5C4B3A2918070")
    assert found is not None and found.mark == 400001951234567


async def test_request_receiver_info(server: str) -> None:
    async with _client(f"{server}/ok/myDataProvider") as client:
        answer = await client.request_receiver_info("888888888")
    assert answer.value.emails[0] == "invoices@recipient.example.gr"
