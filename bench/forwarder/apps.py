"""The processes the forwarder benchmark starts: a trivial upstream and gateway-style proxies.

    python bench/forwarder/apps.py upstream PORT
    python bench/forwarder/apps.py proxy PORT UPSTREAM_URL {httpx,httpx-aiohttp,aiohttp}

Each proxy does what the gateway does per request, minus auth and quota: read the body, forward
it with a few headers over a pooled keep-alive client, and return status, body and content type.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from starlette.responses import Response

# A seed-002-sized success answer (about 1 kB), so the copy cost is realistic.
ANSWER = (
    b'{"ok":1,"code":200,"data":{"mark":"400001234567890","authcode":"'
    + b"A" * 40
    + (b'","lines":[' + b",".join([b'{"lineNumber":1,"netValue":100.0,"vatAmount":24.0}'] * 16))
    + b"]}}"
)

Forward = Callable[[str, bytes, dict[str, str]], Awaitable[tuple[int, bytes, str]]]


def upstream_app() -> FastAPI:
    """A FastAPI handler that reads the body and answers a fixed JSON: the cost of a service
    endpoint without its work, so "direct" is what one FastAPI hop can do on this machine."""
    app = FastAPI()

    @app.post("/invoice-data")
    async def answer(request: Request) -> Response:
        await request.body()
        return Response(ANSWER, media_type="application/json")

    return app


@asynccontextmanager
async def httpx_client(use_aiohttp: bool) -> AsyncIterator[Forward]:
    import httpx

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    transport: Any = None
    if use_aiohttp:
        from httpx_aiohttp import AiohttpTransport

        transport = AiohttpTransport()
    async with httpx.AsyncClient(limits=limits, transport=transport, timeout=30) as client:

        async def forward(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, str]:
            resp = await client.post(url, content=body, headers=headers)
            return resp.status_code, resp.content, resp.headers.get("content-type", "")

        yield forward


@asynccontextmanager
async def aiohttp_client() -> AsyncIterator[Forward]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=100)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def forward(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, str]:
            async with session.post(url, data=body, headers=headers) as resp:
                return resp.status, await resp.read(), resp.headers.get("content-type", "")

        yield forward


def proxy_app(upstream_url: str, kind: str) -> FastAPI:
    state: dict[str, Forward] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        client = aiohttp_client() if kind == "aiohttp" else httpx_client(kind == "httpx-aiohttp")
        async with client as forward:
            state["forward"] = forward
            yield

    app = FastAPI(lifespan=lifespan)
    target = upstream_url.rstrip("/") + "/invoice-data"

    @app.post("/invoice-data")
    async def forward(request: Request) -> Response:
        headers = {"X-Tenant-Id": "t1", "X-Request-Id": "r1", "Content-Type": "application/json"}
        status, body, ctype = await state["forward"](target, await request.body(), headers)
        return Response(body, status_code=status, headers={"content-type": ctype})

    return app


def main(argv: list[str]) -> None:
    role, port = argv[1], int(argv[2])
    app = upstream_app() if role == "upstream" else proxy_app(argv[3], argv[4])
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main(sys.argv)
