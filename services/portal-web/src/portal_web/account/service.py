"""Account actions: the API token (shown once; tenant-admin revokes the older ones) and the
business details shown on invoices (PORTAL-10)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from pydantic import ValidationError

from contracts.portal import Branding
from portal_web.account.logo import checked_logo
from portal_web.clients.invoices import InvoiceClient
from webkit.i18n import N_, Message

BRANDING_FIELDS = ("details_el", "details_en", "header_el", "header_en", "footer_el", "footer_en")


def read_branding(form: Mapping[str, str], has_logo: bool) -> Branding | Message:
    values = {name: form.get(name, "").strip() for name in BRANDING_FIELDS}
    try:
        return Branding(**values, has_logo=has_logo)
    except ValidationError:
        return Message(N_("A business detail is too long."), level="error")


async def save_branding(
    invoices: InvoiceClient, tenant_id: str, branding: Branding, logo_bytes: bytes | None
) -> list[Message]:
    """Store the texts, and the logo when one was chosen and passes the checks."""
    if logo_bytes:
        logo = await asyncio.to_thread(checked_logo, logo_bytes)
        if isinstance(logo, Message):
            return [logo]
        await invoices.save_logo(tenant_id, logo)
        branding = branding.model_copy(update={"has_logo": True})
    await invoices.save_branding(tenant_id, branding)
    return []
