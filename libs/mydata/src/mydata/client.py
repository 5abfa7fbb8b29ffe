"""Async client of the myDATA **provider** REST API (aiohttp, one session per client).

Every failure reaches the caller as a typed :class:`~mydata.errors.TransportError` carrying the
:class:`~mydata.errors.RawExchange` (request and response bytes, for storage); business answers
come back as parsed results with the same raw exchange attached.

    async with ProviderClient(base_url, user_id, key, timeout=20) as client:
        result = await client.send_invoices(xml)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, Self, TypeVar

import aiohttp

from mydata.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    ConnectTimeout,
    MalformedResponse,
    RawExchange,
    RequestTimeout,
    ServerError,
    UnexpectedStatus,
)
from mydata.response import (
    ReceiverInfo,
    ResponseEntry,
    TransmittedDocs,
    parse_receiver_info,
    parse_response_doc,
    parse_transmitted_docs,
)

T = TypeVar("T")
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """A parsed answer and the exchange that produced it."""

    value: T
    raw: RawExchange


class ProviderClient:
    """``base_url`` is the provider root, e.g. ``http://127.0.0.1:8090/myDataProvider``."""

    def __init__(
        self,
        base_url: str,
        user_id: str,
        subscription_key: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"aade-user-id": user_id, "ocp-apim-subscription-key": subscription_key}
        self._timeout = aiohttp.ClientTimeout(
            total=timeout, connect=min(connect_timeout, timeout), sock_read=timeout
        )
        self._max_bytes = max_response_bytes
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    def _session(self) -> aiohttp.ClientSession:
        # Created on first use: an aiohttp session must be born inside the running event loop.
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)
        return self._http

    async def send_invoices(self, xml: bytes) -> Answer[tuple[ResponseEntry, ...]]:
        """POST an ``InvoicesDoc``; one entry per invoice, in order."""
        raw = await self._call("POST", "SendInvoices", body=xml)
        return Answer(_parsed(parse_response_doc, raw), raw)

    async def request_transmitted_docs(
        self,
        mark: int,
        *,
        issuer_vat: str,
        next_partition_key: str | None = None,
        next_row_key: str | None = None,
    ) -> Answer[TransmittedDocs]:
        """Invoices of ``issuer_vat`` transmitted by us with MARK greater than ``mark``."""
        params = {"issuervat": issuer_vat, "mark": str(mark)}
        if next_partition_key and next_row_key:
            params |= {"nextPartitionKey": next_partition_key, "nextRowKey": next_row_key}
        raw = await self._call("GET", "RequestTransmittedDocs", params=params)
        return Answer(_parsed(parse_transmitted_docs, raw), raw)

    async def request_receiver_info(self, vat: str) -> Answer[ReceiverInfo]:
        """The recipient's e-invoicing providers and declared reception e-mails."""
        raw = await self._call("GET", "RequestReceiverInfo", params={"vatNumber": vat})
        return Answer(_parsed(parse_receiver_info, raw), raw)

    async def _call(
        self, method: str, name: str, *, body: bytes = b"", params: Mapping[str, str] | None = None
    ) -> RawExchange:
        url = f"{self._base}/{name}"
        started = time.monotonic()
        sent = RawExchange(method, url, body)
        try:
            status, payload = await self._exchange(method, url, body, params)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _transport_error(exc, _with(sent, started)) from exc
        raw = _with(sent, started, status, payload)
        _check_status(raw)
        return raw

    async def _exchange(
        self, method: str, url: str, body: bytes, params: Mapping[str, str] | None
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/xml"} if method == "POST" else None
        async with self._session().request(
            method, url, data=body or None, params=params, headers=headers
        ) as response:
            return response.status, await self._read(response)

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        chunks, size = [], 0
        async for chunk in response.content.iter_chunked(CHUNK):
            size += len(chunk)
            if size > self._max_bytes:
                raise aiohttp.ClientPayloadError(f"answer larger than {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _with(
    raw: RawExchange, started: float, status: int | None = None, body: bytes | None = None
) -> RawExchange:
    elapsed = time.monotonic() - started
    return RawExchange(raw.method, raw.url, raw.request_body, status, body, elapsed)


def _check_status(raw: RawExchange) -> None:
    status = raw.status or 0
    if status == 200:
        return
    if status == 401:
        raise AuthenticationFailed("myDATA refused the credentials (HTTP 401)", raw)
    if status >= 500:
        raise ServerError(status, raw)
    raise UnexpectedStatus(status, raw)


def _transport_error(exc: BaseException, raw: RawExchange) -> Exception:
    # Most specific first: aiohttp's timeout classes are also ClientErrors and TimeoutErrors.
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectTimeout(f"connecting to myDATA timed out: {exc}", raw)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return RequestTimeout(f"myDATA did not answer in time: {exc!r}", raw)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectionFailed(f"cannot connect to myDATA: {exc}", raw, ambiguous=False)
    return ConnectionFailed(f"connection to myDATA failed: {exc!r}", raw, ambiguous=True)


def _parsed(parse: Callable[[bytes], T], raw: RawExchange) -> T:
    try:
        return parse(raw.response_body or b"")
    except MalformedResponse as exc:
        raise MalformedResponse(str(exc), raw) from exc
