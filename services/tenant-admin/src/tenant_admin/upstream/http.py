"""One aiohttp session for the admin app's internal calls, with the internal token on each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
from pydantic import BaseModel, TypeAdapter, ValidationError

from contracts.http import REQUEST_ID_HEADER
from kit.auth import ServiceTokens
from kit.errors import ServiceUnavailable
from kit.http import INTERNAL_KEEPALIVE_S
from kit.logs import request_id_var

T = TypeVar("T")
Model = TypeVar("Model", bound=BaseModel)


class UpstreamUnavailable(ServiceUnavailable):
    code = "upstream_unavailable"
    title = "A service the admin app relies on is unavailable"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes


class Upstream:
    """Started and closed by tenant-admin's lifespan."""

    def __init__(self, tokens: ServiceTokens, timeout_s: float) -> None:
        self.tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=min(3.0, timeout_s))
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        # Idle connections go before uvicorn's 5 s keep-alive ends them (a POST on a connection
        # the server just closed fails and is not retried).
        connector = aiohttp.TCPConnector(limit=20, keepalive_timeout=INTERNAL_KEEPALIVE_S)
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None = None,
        *,
        to: str,
        language: str | None = None,
    ) -> Reply:
        """One request to service ``to`` with an (unbound) internal token addressed to it;
        refusals the service words itself come back in ``language``."""
        if self._session is None:
            raise UpstreamUnavailable("the admin app's HTTP client is not started")
        headers = {"Authorization": self.tokens.to(to).header()}
        if language:
            headers["Accept-Language"] = language
        if request_id := request_id_var.get():
            headers[REQUEST_ID_HEADER] = request_id
        try:
            async with self._session.request(method, url, headers=headers, params=params) as resp:
                return Reply(resp.status, await resp.read())
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamUnavailable(f"{method} {url}: {type(exc).__name__}: {exc}") from None


def parsed(reply: Reply, adapter: TypeAdapter[T]) -> T:
    """The 2xx answer read as the contract says; anything else ``UpstreamUnavailable``."""
    if not 200 <= reply.status < 300:
        raise UpstreamUnavailable(f"answered {reply.status}: {reply.body[:300]!r}")
    try:
        return adapter.validate_json(reply.body)
    except ValidationError as exc:
        raise UpstreamUnavailable(f"answer does not fit the contract: {exc}") from None
