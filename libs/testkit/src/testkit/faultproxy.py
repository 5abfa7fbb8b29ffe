"""An asyncio TCP fault proxy: put it between a client and a server to test real failures.

Modes, switchable at any time:

- normal: bytes flow both ways (optionally delayed by ``latency``);
- ``cut()``: every open connection is reset and new ones are reset on arrival — a crashed or
  unreachable server;
- ``blackhole()``: connections are accepted but nothing is forwarded either way; what was sent
  stays buffered and TCP back-pressure builds up, like a network partition or a hung server;
- ``heal()``: back to normal; connections held by a blackhole resume where they stopped.

Generic on purpose (AMQP, PostgreSQL, HTTP to myDATA): it knows nothing of the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct

_CHUNK = 65536


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1"):
        self.target_host = target_host
        self.target_port = target_port
        self.listen_host = listen_host
        self.port = 0
        self.accepted = 0  # connections accepted so far, for assertions
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refusing = False
        self._latency = 0.0
        self._conns: set[_Link] = set()

    async def start(self) -> int:
        """Listen on a free port; return it."""
        self._server = await asyncio.start_server(self._accept, self.listen_host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    @property
    def address(self) -> tuple[str, int]:
        return self.listen_host, self.port

    def cut(self) -> None:
        """Reset all connections and every new one until ``heal()``."""
        self._refusing = True
        for link in list(self._conns):
            link.reset()

    def blackhole(self) -> None:
        """Accept, but forward nothing in either direction until ``heal()``."""
        self._flowing.clear()

    def latency(self, seconds: float) -> None:
        """Delay every chunk by ``seconds`` each way (0 turns it off)."""
        self._latency = max(0.0, seconds)

    def heal(self) -> None:
        self._refusing = False
        self._latency = 0.0
        self._flowing.set()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for link in list(self._conns):
            link.reset()
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self._refusing:
            _reset(writer)
            return
        link = _Link(self, reader, writer)
        self._conns.add(link)
        try:
            await link.run()
        finally:
            self._conns.discard(link)

    async def _gate(self, received_at: float) -> None:
        """Hold a chunk while blackholed, then until its latency has passed."""
        await self._flowing.wait()
        delay = received_at + self._latency - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)


class _Link:
    """One client connection and its upstream connection, pumped in both directions."""

    def __init__(
        self, proxy: FaultProxy, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.proxy = proxy
        self.client = (reader, writer)
        self.upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.tasks: list[asyncio.Task[None]] = []

    async def run(self) -> None:
        # Connect upstream only once traffic may flow: a blackholed server never answers.
        await self.proxy._flowing.wait()
        try:
            self.upstream = await asyncio.open_connection(
                self.proxy.target_host, self.proxy.target_port
            )
        except OSError:
            _reset(self.client[1])
            return
        self.tasks = [
            asyncio.create_task(self._pump(self.client[0], self.upstream[1])),
            asyncio.create_task(self._pump(self.upstream[0], self.client[1])),
        ]
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self._close_both()

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        try:
            while data := await src.read(_CHUNK):
                await self.proxy._gate(loop.time())
                dst.write(data)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            # One side gone: the whole link goes, as a real connection would.
            self._close_both()

    def reset(self) -> None:
        for task in self.tasks:
            task.cancel()
        _reset(self.client[1])
        if self.upstream is not None:
            _reset(self.upstream[1])

    def _close_both(self) -> None:
        for writer in (self.client[1], self.upstream[1] if self.upstream else None):
            if writer is not None and not writer.is_closing():
                writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0) so the peer sees "connection reset", not a clean EOF."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
