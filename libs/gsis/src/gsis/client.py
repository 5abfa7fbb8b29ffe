"""An async RgWsPublic2 client: one aiohttp session, bounded answers, typed failures.

client = RegistryClient(url, timeout=10)
registration = await client.look_up(username, password, "094014298")
"""

from __future__ import annotations

from datetime import date

import aiohttp

from contracts.registry import Registration
from gsis.errors import MalformedAnswer, Unreachable
from gsis.soap import CONTENT_TYPE, MAX_ANSWER_BYTES, lookup_request, read_lookup_answer


class RegistryClient:
    def __init__(self, url: str, *, timeout: float = 10.0, connect_timeout: float = 3.0) -> None:
        self._url = url
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=min(connect_timeout, timeout))
        self._http: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def look_up(
        self,
        username: str,
        password: str,
        vat: str,
        *,
        called_by: str = "",
        as_on: date | None = None,
    ) -> Registration:
        """The registration of ``vat``; raises a :class:`gsis.errors.RegistryError`."""
        body = lookup_request(username, password, vat, called_by=called_by, as_on=as_on)
        status, answer = await self._post(body)
        # SOAP 1.2 Faults come with HTTP 400/500; business errors (bad codes too) with 200.
        if status != 200 and b"Fault" not in answer:
            raise Unreachable(f"GSIS answered HTTP {status}")
        return read_lookup_answer(answer)

    async def _post(self, body: bytes) -> tuple[int, bytes]:
        try:
            async with self._session().post(
                self._url, data=body, headers={"Content-Type": CONTENT_TYPE}
            ) as response:
                answer = await response.content.read(MAX_ANSWER_BYTES + 1)
                if len(answer) > MAX_ANSWER_BYTES:
                    raise MalformedAnswer(f"answer larger than {MAX_ANSWER_BYTES} bytes")
                return response.status, answer
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Unreachable(f"GSIS could not be reached: {exc!r}") from exc

    def _session(self) -> aiohttp.ClientSession:
        # Created on first use: an aiohttp session must be born inside the running event loop.
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=self._timeout)
        return self._http
