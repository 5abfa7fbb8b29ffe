"""Fault switches over /_admin/faults, seen from a real HTTP client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import unescape

import httpx
import pytest
from lxml import etree

SEND = "/myDataProvider/SendInvoices"
# A client that gives up on a held request; long enough that a loaded machine gets the request
# to the simulator (and registered, where the fault registers) well before it does.
IMPATIENT_S = 2.0
WRAP_NS = "http://schemas.microsoft.com/2003/10/Serialization/"


async def set_fault(client: httpx.AsyncClient, **body: Any) -> None:
    r = await client.post("/_admin/faults", json=body)
    assert r.status_code == 200, r.text


async def test_down_is_503(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any]
) -> None:
    await set_fault(client, mode="down")
    r = await client.post(SEND, content=invoice().body(), headers=auth)
    assert r.status_code == 503 and b"Service Unavailable" in r.content
    assert (await client.get("/_admin/registrations")).json()["total"] == 0


async def test_count_limits_the_fault(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any]
) -> None:
    await set_fault(client, mode="down", count=2)
    codes = [
        (await client.post(SEND, content=invoice().body(), headers=auth)).status_code
        for _ in range(3)
    ]
    assert codes == [503, 503, 200]
    status = (await client.get("/_admin/faults")).json()
    assert status["mode"] == "none" and status["applied"] == {"down": 2}


async def test_blackhole_times_out_while_health_answers(
    client: httpx.AsyncClient, base_url: str, auth: dict[str, str], invoice: Callable[[], Any]
) -> None:
    await set_fault(client, mode="blackhole")
    async with httpx.AsyncClient(base_url=base_url, timeout=IMPATIENT_S) as impatient:
        pending = asyncio.create_task(impatient.post(SEND, content=invoice().body(), headers=auth))
        async with asyncio.timeout(IMPATIENT_S / 2):  # the request reaches the simulator
            while (await client.get("/_admin/faults")).json()["held"] != 1:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        health = await client.get("/healthz")
        assert health.status_code == 200
        with pytest.raises(httpx.ReadTimeout):
            await pending
    assert (await client.get("/_admin/registrations")).json()["total"] == 0
    await held_requests_end(client)


async def held_requests_end(client: httpx.AsyncClient) -> None:
    """The server lets go of a held request once its client has given up (no leaked tasks)."""
    for _ in range(50):
        if (await client.get("/_admin/faults")).json()["held"] == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("a held request outlived its client")


async def test_slow_adds_latency(
    client: httpx.AsyncClient, send: Any, invoice: Callable[[], Any]
) -> None:
    await set_fault(client, mode="slow", latency_ms=300)
    started = time.perf_counter()
    result = await send(invoice())
    assert time.perf_counter() - started >= 0.3
    assert result["statusCode"] == "Success"


async def test_garbage_is_200_not_xml(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any]
) -> None:
    await set_fault(client, mode="garbage")
    r = await client.post(SEND, content=invoice().body(), headers=auth)
    assert r.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(r.content)


async def test_wrapped_carries_the_escaped_response(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any], responses: Any
) -> None:
    await set_fault(client, mode="wrapped")
    r = await client.post(SEND, content=invoice().body(), headers=auth)
    outer = etree.fromstring(r.content)
    assert outer.tag == f"{{{WRAP_NS}}}string"
    inner = unescape(outer.text or "").encode()
    assert inner.startswith(b"<?xml") and responses(inner)[0]["statusCode"] == "Success"


async def test_register_then_timeout_is_counted_and_retry_gets_228(
    client: httpx.AsyncClient,
    base_url: str,
    auth: dict[str, str],
    invoice: Callable[[], Any],
    send: Any,
) -> None:
    await set_fault(client, mode="register_then_timeout", count=1)
    doc = invoice()
    async with httpx.AsyncClient(base_url=base_url, timeout=IMPATIENT_S) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await impatient.post(SEND, content=doc.body(), headers=auth)
    counts = (await client.get("/_admin/registrations")).json()
    assert counts["total"] == 1
    await held_requests_end(client)
    retry = await send(doc)
    [(code, message)] = retry["errors"]
    assert code == 228 and "mark: " in message
    [uid] = counts["by_uid"]
    stored = (await client.get(f"/_admin/invoices/{uid}")).json()
    assert f"mark: {stored['mark']}" in message
    assert stored["authentication_code"] in message
    assert (await client.get("/_admin/registrations")).json()["total"] == 1


async def test_register_then_timeout_leaves_queries_alone(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    await set_fault(client, mode="register_then_timeout")
    r = await client.get(
        "/myDataProvider/RequestTransmittedDocs", params={"mark": "0"}, headers=auth
    )
    assert r.status_code == 200


async def test_bad_fault_request_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/_admin/faults", json={"mode": "explode"})
    assert r.status_code in (400, 422)
