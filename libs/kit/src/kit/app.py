"""The FastAPI application every service starts from.

It adds the endpoints operators rely on (``/healthz``, ``/readyz``, ``/metrics``), the error
shape, JSON logs and a request id that is read from or added to every request and response.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.credentials import CredentialsFirst, Door
from kit.errors import REQUEST_LANGUAGE, install_error_handlers
from kit.logs import REQUEST_ID_HEADER, new_request_id, request_id_var
from kit.openapi import document_errors

log = logging.getLogger("kit.app")


def proxy_options(trusted_proxies: str) -> dict[str, Any]:
    """uvicorn's options for ``X-Forwarded-For``/``-Proto``: believed only from the proxies named
    (comma-separated addresses), and from nobody when none is named. uvicorn's own default
    believes any client on loopback, which lets anyone there choose the address that login
    throttling and the audit trail see."""
    trusted = trusted_proxies.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(app: Any, *, host: str, port: int, trusted_proxies: str = "", **options: Any) -> None:
    """Run ``app`` with uvicorn as every service does: its logs through our JSON logging (not
    uvicorn's own handlers), ``X-Forwarded-*`` believed only from ``trusted_proxies``
    (``proxy_options``); ``options`` are uvicorn's others (workers, loop, access log)."""
    uvicorn.run(
        app, host=host, port=port, log_config=None, **proxy_options(trusted_proxies), **options
    )


ReadinessCheck = Callable[[], Awaitable[object]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_RID_HEADER = REQUEST_ID_HEADER.lower().encode()
_UNTRACKED = {"/healthz", "/readyz", "/metrics"}
# Every answer: a browser never guesses HTML out of JSON that echoes a customer's text.
_NOSNIFF = (b"x-content-type-options", b"nosniff")


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware overhead on the hot path): request id, metrics, and
    ``X-Content-Type-Options: nosniff``."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_request_id(scope) or new_request_id()
        token = request_id_var.set(rid)
        language = REQUEST_LANGUAGE.set(None)  # decided afresh by each request that says
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (_RID_HEADER, rid.encode())]
                if all(name.lower() != _NOSNIFF[0] for name, _ in headers):
                    headers.append(_NOSNIFF)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)
            REQUEST_LANGUAGE.reset(language)

    def _observe(self, scope: Scope, status: int, elapsed: float) -> None:
        path = scope.get("path", "")
        if path in _UNTRACKED:
            return
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope.get("method", "")
        HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
        HTTP_LATENCY.labels(self.service, method, route).observe(elapsed)


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _RID_HEADER:
            rid: str = value.decode("latin-1")
            # Accept only a sane id from outside: it ends up in every log line.
            if 0 < len(rid) <= 128 and rid.isprintable():
                return rid
    return None


async def run_readiness(
    checks: Mapping[str, ReadinessCheck], limit_s: float = 2.0
) -> dict[str, str]:
    async def one(check: ReadinessCheck) -> str:
        try:
            await asyncio.wait_for(check(), limit_s)
            return "ok"
        except Exception as exc:  # any failure means "not ready", with the reason shown
            return f"error: {type(exc).__name__}: {exc}"[:300]

    names = list(checks)
    results = await asyncio.gather(*(one(checks[n]) for n in names))
    return dict(zip(names, results, strict=True))


def create_service_app(
    service: str,
    *,
    lifespan: Lifespan | None = None,
    readiness: Callable[[FastAPI], Mapping[str, ReadinessCheck]] | None = None,
    doors: Sequence[Door] = (),
    **fastapi_kwargs: Any,
) -> FastAPI:
    """A FastAPI app with health, readiness, metrics, error shape and request ids; ``doors``
    are the paths where a token is checked before any body is read (``kit.credentials``)."""
    app = FastAPI(title=service, lifespan=lifespan, **fastapi_kwargs)
    install_error_handlers(app)
    document_errors(app)
    if doors:  # inside the request context: its 401s carry the request id and the headers
        app.add_middleware(CredentialsFirst, doors=doors)
    app.add_middleware(RequestContextMiddleware, service=service)

    @app.get("/healthz", tags=["ops"], summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get("/readyz", tags=["ops"], summary="Readiness: database and broker reachable")
    async def readyz() -> Response:
        checks = readiness(app) if readiness else {}
        results = await run_readiness(checks)
        ok = all(v == "ok" for v in results.values())
        body = {"status": "ok" if ok else "unavailable", "service": service, "checks": results}
        return Response(orjson.dumps(body), 200 if ok else 503, media_type="application/json")

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics(_: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


async def noop_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
