"""VAT registry look-ups for ERPs: free of calls, on their own slower rate limit (each look-up
notifies the looked-up taxpayer and counts against the customer's GSIS limits)."""

from __future__ import annotations

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.forwarding.client import UpstreamReply
from api_gateway.forwarding.services import ServiceCaller
from contracts.registry import REGISTRY_PATH


def normalised_vat(typed: str) -> str:
    """As ERPs send it: spaces anywhere, VIES's ``EL`` prefix; the owner checks the rest."""
    return "".join(typed.split()).upper().removeprefix("EL")


async def look_up(
    mydata_sync: ServiceCaller, customer: VerifiedCustomer, vat: str, language: str | None
) -> UpstreamReply:
    path = f"{REGISTRY_PATH}/{normalised_vat(vat)}"
    return await mydata_sync.call("GET", path, customer, language=language)
