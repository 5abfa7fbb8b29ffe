"""The status answer: invoice-service ready to take invoices, and myDATA as mydata-sync sees it.

Cached a couple of seconds per asker: an ERP fleet polling during an outage must not turn
into load on the services that are busy catching up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from pydantic import ValidationError

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.forwarding.client import Upstream, UpstreamError
from api_gateway.forwarding.services import OwnerUnavailable, ServiceCaller
from contracts.status import STATUS_PATH, MydataStatus, Overall, PlatformStatus
from kit.cache import TtlCache
from kit.errors import Language

CACHE_S = 2.0
MESSAGES: dict[Overall, dict[Language, str]] = {
    "ok": {
        "el": "Η πλατφόρμα και το myDATA λειτουργούν κανονικά.",
        "en": "The platform and myDATA are working normally.",
    },
    "degraded": {
        "el": "Το myDATA δεν απαντά: τα παραστατικά εκδίδονται με προσωρινή συμβολοσειρά"
        " και διαβιβάζονται αυτόματα μόλις αποκατασταθεί.",
        "en": "myDATA is not answering: invoices are issued with a temporary string and"
        " transmitted automatically once it is back.",
    },
    "unavailable": {
        "el": "Η πλατφόρμα δεν δέχεται παραστατικά αυτή τη στιγμή· δοκιμάστε ξανά σε λίγο.",
        "en": "The platform is not accepting invoices right now; try again shortly.",
    },
}


class StatusDesk:
    def __init__(self, mydata_sync: ServiceCaller, invoice_service: Upstream) -> None:
        self._mydata_sync = mydata_sync
        self._invoice_service = invoice_service
        self._cache: TtlCache[tuple[str | None, Language], PlatformStatus] = TtlCache(1000)

    async def status(self, customer: VerifiedCustomer | None, language: Language) -> PlatformStatus:
        key = (customer.customer_id if customer else None, language)
        cached = self._cache.get(key)
        if cached is None:
            cached = await self._compose(customer, language)
            self._cache.put(key, cached, CACHE_S)
        return cached

    async def _compose(
        self, customer: VerifiedCustomer | None, language: Language
    ) -> PlatformStatus:
        accepting = await self._invoices_ready()
        mydata = await self._mydata(customer)
        overall = _overall(accepting, mydata)
        return PlatformStatus(
            status=overall,
            checked_at=datetime.now(UTC),
            accepting_invoices=accepting,
            mydata=mydata,
            message=MESSAGES[overall][language],
        )

    async def _invoices_ready(self) -> bool:
        try:
            reply = await self._invoice_service.send("GET", "/readyz", {})
        except UpstreamError:
            return False
        return reply.status == 200

    async def _mydata(self, customer: VerifiedCustomer | None) -> MydataStatus | None:
        try:
            reply = await self._mydata_sync.call("GET", STATUS_PATH, customer)
            if reply.status != 200:
                return None
            return MydataStatus.model_validate(orjson.loads(reply.body))
        except (OwnerUnavailable, ValidationError, orjson.JSONDecodeError):
            return None


def _overall(accepting: bool, mydata: MydataStatus | None) -> Overall:
    if not accepting:
        return "unavailable"
    if mydata is None or mydata.circuit != "closed":
        return "degraded"
    failing = mydata.last_failure_at is not None and (
        mydata.last_success_at is None or mydata.last_failure_at > mydata.last_success_at
    )
    return "degraded" if failing else "ok"
