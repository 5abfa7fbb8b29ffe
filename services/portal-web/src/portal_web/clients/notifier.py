"""The notifier's answer to "what became of this invoice's e-mail to its recipient" (API-10),
asked with a token bound to the invoice's tenant (``contracts.notifications``)."""

from __future__ import annotations

from urllib.parse import quote

from contracts.notifications import InvoiceEmailView, invoice_email_path
from portal_web.clients.http import Upstream, parse


class NotifierClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def invoice_email(self, tenant_id: str, uid: str) -> InvoiceEmailView | None:
        """None until the notifier has seen the invoice transmitted."""
        path = invoice_email_path(quote(tenant_id, safe=""), quote(uid, safe=""))
        reply = await self._upstream.call("GET", self._base + path, tenant_id=tenant_id)
        return None if reply.status == 404 else parse(reply, InvoiceEmailView)
