"""testkit.faultproxy against a local echo server: forward, latency, blackhole, cut, heal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from testkit.faultproxy import FaultProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[FaultProxy]:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    fault = FaultProxy("127.0.0.1", server.sockets[0].getsockname()[1])
    await fault.start()
    yield fault
    await fault.close()
    server.close()
    await server.wait_closed()


async def _open(proxy: FaultProxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(*proxy.address)


async def _roundtrip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    writer.write(b"ping")
    await writer.drain()
    return await asyncio.wait_for(reader.readexactly(4), 2)


async def test_forwards_and_adds_latency(proxy: FaultProxy) -> None:
    reader, writer = await _open(proxy)
    assert await _roundtrip(reader, writer) == b"ping"
    proxy.latency(0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await _roundtrip(reader, writer) == b"ping"
    assert loop.time() - started >= 0.4  # 0.2 s each way
    writer.close()


async def test_blackhole_holds_traffic_until_heal(proxy: FaultProxy) -> None:
    reader, writer = await _open(proxy)
    proxy.blackhole()
    writer.write(b"held")
    await writer.drain()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(reader.readexactly(4), 0.3)
    proxy.heal()
    assert await asyncio.wait_for(reader.readexactly(4), 2) == b"held"
    writer.close()


async def test_cut_resets_open_and_new_connections(proxy: FaultProxy) -> None:
    reader, writer = await _open(proxy)
    assert await _roundtrip(reader, writer) == b"ping"
    proxy.cut()
    with pytest.raises((ConnectionError, asyncio.IncompleteReadError)):
        await _roundtrip(reader, writer)
    reader2, writer2 = await _open(proxy)
    with pytest.raises((ConnectionError, asyncio.IncompleteReadError)):
        await _roundtrip(reader2, writer2)
    proxy.heal()
    reader3, writer3 = await _open(proxy)
    assert await _roundtrip(reader3, writer3) == b"ping"
    writer3.close()
