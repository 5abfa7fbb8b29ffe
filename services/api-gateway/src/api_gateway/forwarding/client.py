"""The upstream HTTP client: aiohttp's ``ClientSession`` with a pooled keep-alive connector.

aiohttp was measured against httpx and httpx-aiohttp (bench/forwarder, ADR 0002). Failures are
sorted by what they say about the request, because that decides whether the call is refunded:

- ``UpstreamUnreachable``: no connection was made, the request never left (refund);
- ``UpstreamTimedOut``: sent, no answer in time, the invoice may exist (keep the charge);
- ``UpstreamBroken``: the connection failed after sending (outcome unknown, keep the charge).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from yarl import URL

from contracts.http import NOT_CHARGED_HEADER
from kit.http import INTERNAL_KEEPALIVE_S


class UpstreamError(Exception):
    """Base of the forwarder's failures."""


class UpstreamUnreachable(UpstreamError):
    pass


class UpstreamTimedOut(UpstreamError):
    pass


class UpstreamBroken(UpstreamError):
    pass


@dataclass(frozen=True, slots=True)
class UpstreamReply:
    status: int
    body: bytes
    content_type: str | None
    not_charged: bool  # invoice-service says no invoice was issued (e.g. idempotent replay)


class Upstream:
    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout_s: float,
        timeout_s: float,
        max_connections: int,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(
            total=connect_timeout_s + timeout_s,
            sock_connect=connect_timeout_s,
            sock_read=timeout_s,
        )
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(
            limit=self._max_connections, ttl_dns_cache=300, keepalive_timeout=INTERNAL_KEEPALIVE_S
        )
        # The reply is re-sent without Content-Encoding, so it is decompressed here if needed.
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(
        self, method: str, path_qs: str, headers: Mapping[str, str], body: bytes | None = None
    ) -> UpstreamReply:
        """One request; the reply is read whole (invoice answers are small)."""
        if self._session is None:
            raise UpstreamUnreachable("forwarder not started")
        # encoded=True: the query string is passed through byte for byte, as the ERP sent it.
        url = URL(self.base_url + path_qs, encoded=True)
        try:
            async with self._session.request(method, url, data=body, headers=headers) as resp:
                payload = await resp.read()
                return _reply(resp, payload)
        except aiohttp.ConnectionTimeoutError as exc:
            raise UpstreamUnreachable(f"connect timeout: {exc}") from exc
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamUnreachable(str(exc)) from exc
        except TimeoutError as exc:
            raise UpstreamTimedOut("no answer in time") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamBroken(f"{type(exc).__name__}: {exc}") from exc


def _reply(resp: aiohttp.ClientResponse, payload: bytes) -> UpstreamReply:
    return UpstreamReply(
        status=resp.status,
        body=payload,
        content_type=resp.headers.get("Content-Type"),
        not_charged=resp.headers.get(NOT_CHARGED_HEADER) == "1",
    )
