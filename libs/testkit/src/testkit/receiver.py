"""A real webhook receiver for tests: an aiohttp server on loopback that records every request
(headers, exact body bytes) and answers with the status the test chooses. ``stop()`` takes it
down (connections refused, as when a customer's server is away) and ``start()`` brings it back
on the same port.

    receiver = WebhookReceiver()
    await receiver.start()
    ... register receiver.url ...
    receiver.answer_with(500, 500)            # the next two requests fail, then 200 again
    await receiver.wait_for(lambda r: len(r) >= 3)
    await receiver.stop()
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict

PATH = "/hooks"


@dataclass(frozen=True)
class Received:
    headers: CIMultiDict[str]  # looked up without regard to case, like any framework's
    body: bytes
    at: float = field(default_factory=time.time)


class WebhookReceiver:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.received: list[Received] = []
        self.default_status = 200
        self._script: deque[int] = deque()
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{PATH}"

    def answer_with(self, *statuses: int) -> None:
        """The next requests get these statuses in turn, then ``default_status`` again."""
        self._script.extend(statuses)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(PATH, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        # Bound here, so that the first start picks a free port and a restart reuses it.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def wait_for(
        self, done: Callable[[list[Received]], bool], within: float = 10.0
    ) -> list[Received]:
        """Until ``done(received)`` holds; ``TimeoutError`` after ``within`` seconds."""
        async with asyncio.timeout(within):
            while not done(self.received):
                self._changed.clear()
                await self._changed.wait()
        return self.received

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(CIMultiDict(request.headers), body))
        self._changed.set()
        status = self._script.popleft() if self._script else self.default_status
        return web.Response(status=status, text="ok" if status < 300 else "not now")
