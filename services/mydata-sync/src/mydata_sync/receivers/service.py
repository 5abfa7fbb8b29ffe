"""Receiver look-ups through the myDATA provider channel, cached per VAT number.

Each look-up is a call to AADE on behalf of the provider; addresses change rarely, so an
answer (including "none declared") is kept ``ttl_s`` seconds. The VAT check digit is checked
before any call: a wrong number costs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from contracts.portal import ReceiverInfo
from kit.cache import TtlCache
from kit.errors import InvalidRequest, ServiceUnavailable
from mydata.client import ProviderClient
from mydata.errors import TransportError
from mydata.vat import vat_problem


class ReceiverDirectory:
    def __init__(
        self,
        client: ProviderClient,
        *,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl_s = ttl_s
        self._cache: TtlCache[str, ReceiverInfo] = TtlCache(clock=clock)

    async def look_up(self, vat: str) -> ReceiverInfo:
        if problem := vat_problem(vat):
            raise InvalidRequest([f"vat: {problem}"], message="Not a valid Greek VAT number")
        cached = self._cache.get(vat)
        if cached is not None:
            return cached
        info = await self._ask(vat)
        self._cache.put(vat, info, self._ttl_s)
        return info

    async def _ask(self, vat: str) -> ReceiverInfo:
        try:
            answer = await self._client.request_receiver_info(vat)
        except TransportError as exc:
            raise ServiceUnavailable(f"myDATA did not answer RequestReceiverInfo: {exc}") from exc
        emails = sorted({e.strip().lower() for e in answer.value.emails if e.strip()})
        return ReceiverInfo(vat=vat, emails=emails, providers=list(answer.value.provider_vats))
