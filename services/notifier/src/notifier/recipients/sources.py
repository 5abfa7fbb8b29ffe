"""What an invoice e-mail is made of, asked over HTTP with an internal token bound to the
invoice's tenant: the ERP body (invoice-service), the counterpart's declared addresses
(mydata-sync, RequestReceiverInfo, cached there per VAT number) and the PDF (portal-web).

A service away, slow or answering 5xx is ``SourceUnavailable`` (the event waits and is tried
again); an invoice a service does not know is ``InvoiceGone`` (it never will).
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import orjson
from pydantic import ValidationError

from contracts.http import TENANT_HEADER
from contracts.notifications import Language
from contracts.portal import (
    INVOICE_PDF_PATH,
    INVOICES_PATH,
    RECEIVERS_PATH,
    REQUEST_TAIL,
    InvoicePdf,
    ReceiverInfo,
)
from kit.auth import ServiceTokens

Model = TypeVar("Model", ReceiverInfo, InvoicePdf)
DECLARED_CACHE_SIZE = 10_000


class SourceUnavailable(Exception):
    """Not now: try again later."""


class InvoiceGone(Exception):
    """The invoice (or its tenant) is unknown where it should be: trying again will not help."""


class InvoiceSources:
    def __init__(
        self,
        tokens: ServiceTokens,
        *,
        invoice_service_url: str,
        mydata_sync_url: str,
        portal_url: str,
        timeout_s: float,
        declared_cache_s: float = 300.0,
    ) -> None:
        self._tokens = tokens
        # mydata-sync caches RequestReceiverInfo per VAT number too; this copy saves the round
        # trip for the counterparts a customer invoices again and again (bounded, expiring).
        self._declared: dict[str, tuple[float, list[str]]] = {}
        self._declared_cache_s = declared_cache_s
        self._invoices = invoice_service_url.rstrip("/")
        self._sync = mydata_sync_url.rstrip("/")
        self._portal = portal_url.rstrip("/")
        timeout = httpx.Timeout(timeout_s, connect=min(3.0, timeout_s))
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def erp_body(self, tenant_id: str, uid: str) -> dict[str, Any]:
        url = f"{self._invoices}{INVOICES_PATH}/{_segment(uid)}{REQUEST_TAIL}"
        response = _expect_ok(await self._get("invoice-service", url, tenant_id), "invoice-service")
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise SourceUnavailable(f"invoice-service: not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise SourceUnavailable("invoice-service: the ERP body is not an object")
        return body

    async def declared_emails(self, vat: str) -> list[str]:
        """The addresses ``vat`` declared to AADE; none for a VAT number that cannot have any
        (mydata-sync refuses it, 400: its check digit does not hold)."""
        known = self.declared_if_known(vat)
        if known is not None:
            return known
        response = await self._get(
            "mydata-sync", f"{self._sync}{RECEIVERS_PATH}/{_segment(vat)}", None
        )
        if response.status_code == 400:
            emails: list[str] = []
        else:
            emails = _parsed(response, ReceiverInfo, "mydata-sync").emails
        self._remember(vat, emails)
        return emails

    def declared_if_known(self, vat: str) -> list[str] | None:
        """The cached answer for ``vat``, or None when it must be asked."""
        found = self._declared.get(vat)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def _remember(self, vat: str, emails: list[str]) -> None:
        if len(self._declared) >= DECLARED_CACHE_SIZE:
            self._declared.clear()  # rare; simpler than an LRU and still bounded
        self._declared[vat] = (time.monotonic() + self._declared_cache_s, emails)

    async def pdf(self, tenant_id: str, uid: str, language: Language) -> InvoicePdf:
        url = f"{self._portal}{INVOICE_PDF_PATH}/{_segment(uid)}"
        response = await self._get("portal-web", url, tenant_id, {"lang": language})
        return _parsed(response, InvoicePdf, "portal-web")

    async def _get(
        self, to: str, url: str, tenant_id: str | None, params: dict[str, str] | None = None
    ) -> httpx.Response:
        """GET ``url`` of service ``to``, with a token addressed to it."""
        headers = {"Authorization": self._tokens.to(to).header(tenant_id)}
        if tenant_id is not None:
            headers[TENANT_HEADER] = tenant_id
        try:
            response = await self._http.get(url, headers=headers, params=params)
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"GET {url}: {type(exc).__name__}: {exc}") from None
        if response.status_code == 404 and tenant_id is not None:
            raise InvoiceGone(f"GET {url}: 404 {response.text[:200]}")
        return response


def decoded_pdf(found: InvoicePdf) -> bytes:
    try:
        return base64.b64decode(found.pdf_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SourceUnavailable(f"portal-web: the PDF is not base64: {exc}") from None


def _expect_ok(response: httpx.Response, service: str) -> httpx.Response:
    """Anything but a 200 is not now (a 401 is our own token or secret: fixed by on-call, then
    the wait ends by itself)."""
    if response.status_code != 200:
        raise SourceUnavailable(f"{service}: {response.status_code} {response.text[:200]}")
    return response


def _parsed(response: httpx.Response, model: type[Model], service: str) -> Model:
    _expect_ok(response, service)
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise SourceUnavailable(f"{service}: answer does not fit {model.__name__}: {exc}") from None


def _segment(value: str) -> str:
    return quote(value, safe="")
