"""mydata-sync's look-up of the e-mail addresses a VAT number declared to AADE (PORTAL-7)."""

from __future__ import annotations

from contracts.portal import RECEIVERS_PATH, ReceiverInfo
from portal_web.clients.http import Upstream, parse


class ReceiverClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def receivers(self, vat: str) -> ReceiverInfo:
        """Only for a VAT number whose check digit holds: each look-up costs an AADE call."""
        reply = await self._upstream.call("GET", f"{self._base}{RECEIVERS_PATH}/{vat}")
        return parse(reply, ReceiverInfo)
