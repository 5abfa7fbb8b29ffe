"""invoice-service's portal API for one customer's invoices and branding; every call carries a
token bound to that tenant and ``X-Tenant-Id`` (``contracts.portal``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from contracts.portal import (
    BRANDING_PATH,
    INVOICES_PATH,
    LOGO_TAIL,
    TOTALS_TAIL,
    XML_TAIL,
    Branding,
    InvoicePage,
    InvoiceQuery,
    InvoiceTotals,
    InvoiceView,
)
from portal_web.clients.http import Reply, Upstream, UpstreamUnavailable, expect_ok, parse


@dataclass(frozen=True, slots=True)
class Logo:
    content: bytes
    content_type: str


class InvoiceClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def page(
        self, tenant_id: str, query: InvoiceQuery, *, after: str | None, limit: int
    ) -> InvoicePage:
        params = _query_params(query) | {"limit": str(limit)}
        if after:
            params["after"] = after
        reply = await self._get(tenant_id, INVOICES_PATH, params)
        return parse(reply, InvoicePage)

    async def totals(self, tenant_id: str, query: InvoiceQuery) -> InvoiceTotals:
        reply = await self._get(tenant_id, INVOICES_PATH + TOTALS_TAIL, _query_params(query))
        return parse(reply, InvoiceTotals)

    async def view(self, tenant_id: str, uid: str) -> InvoiceView | None:
        reply = await self._get(tenant_id, f"{INVOICES_PATH}/{_segment(uid)}")
        return None if reply.status == 404 else parse(reply, InvoiceView)

    async def xml(self, tenant_id: str, uid: str) -> bytes | None:
        """The invoice's myDATA ``InvoicesDoc`` as stored (PORTAL-5), or None."""
        reply = await self._get(tenant_id, f"{INVOICES_PATH}/{_segment(uid)}{XML_TAIL}")
        if reply.status == 404:
            return None
        expect_ok(reply)
        return reply.body

    async def branding(self, tenant_id: str) -> Branding:
        return parse(await self._get(tenant_id, BRANDING_PATH), Branding)

    async def save_branding(self, tenant_id: str, branding: Branding) -> None:
        url = self._base + BRANDING_PATH
        expect_ok(await self._upstream.call("PUT", url, tenant_id=tenant_id, json=branding))

    async def logo(self, tenant_id: str) -> Logo | None:
        reply = await self._get(tenant_id, BRANDING_PATH + LOGO_TAIL)
        if reply.status == 404:
            return None
        expect_ok(reply)
        content_type = reply.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in ("image/png", "image/jpeg"):
            raise UpstreamUnavailable(f"logo answered as {content_type!r}")
        return Logo(reply.body, content_type)

    async def save_logo(self, tenant_id: str, logo: Logo) -> None:
        url = self._base + BRANDING_PATH + LOGO_TAIL
        reply = await self._upstream.call(
            "PUT", url, tenant_id=tenant_id, body=logo.content, content_type=logo.content_type
        )
        expect_ok(reply)

    async def _get(self, tenant_id: str, path: str, params: dict[str, str] | None = None) -> Reply:
        return await self._upstream.call(
            "GET", self._base + path, tenant_id=tenant_id, params=params
        )


def _query_params(query: InvoiceQuery) -> dict[str, str]:
    dumped = query.model_dump(mode="json", exclude_none=True)
    return {name: str(value) for name, value in dumped.items()}


def _segment(value: str) -> str:
    return quote(value, safe="")
