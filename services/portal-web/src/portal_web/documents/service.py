"""Loading one invoice as a document: the invoice, the customer's branding and logo, at once."""

from __future__ import annotations

import asyncio

from portal_web.clients.invoices import InvoiceClient
from portal_web.documents.model import Document, build
from webkit.i18n import Locale


async def load_document(
    invoices: InvoiceClient, tenant_id: str, uid: str, locale: Locale, issuer_name: str = ""
) -> Document | None:
    """``issuer_name``: the customer's company name, printed when the ERP sent no ``is_name``
    (the law wants the issuer's name on every invoice)."""
    view, branding, logo = await asyncio.gather(
        invoices.view(tenant_id, uid), invoices.branding(tenant_id), invoices.logo(tenant_id)
    )
    if view is None:
        return None
    return build(view, branding, logo, locale, issuer_name)


def file_stem(document: Document) -> str:
    """``{series}-{number}``, safe in a file name (PORTAL-5: named after series and number)."""
    return safe_name(f"{document.series}-{document.number}".strip("-")) or document.uid


def safe_name(text: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
    return kept.strip("._")[:100]
