"""One invoice's PDF for the notifier (SPEC API-10): the portal's own document and PDF, in the
language the e-mail is written in, with what the e-mail says of the invoice as the PDF prints it.
"""

from __future__ import annotations

import base64
from dataclasses import replace

from contracts.portal import InvoicePdf
from portal_web.deps import PortalRuntime
from portal_web.documents.model import Document
from portal_web.documents.pdf import pdf_html
from portal_web.documents.service import file_stem, load_document
from webkit.formats import day, money
from webkit.i18n import Locale
from webkit.pages import PageContext


async def invoice_pdf(
    runtime: PortalRuntime, page: PageContext, tenant_id: str, uid: str
) -> InvoicePdf | None:
    """The invoice ``uid`` of ``tenant_id`` rendered in ``page.locale``; None when unknown."""
    document = await load_document(runtime.invoices, tenant_id, uid, page.locale)
    if document is None:
        return None
    if not document.issuer.name:
        issuer = replace(document.issuer, name=await _company(runtime, tenant_id, document))
        document = replace(document, issuer=issuer)
    pdf = await runtime.pdf.render(pdf_html(runtime.pages, page, document))
    return _answer(document, page.locale, pdf)


async def _company(runtime: PortalRuntime, tenant_id: str, document: Document) -> str:
    """The customer's company name, printed as issuer when the ERP sent no ``is_name`` (the
    public search prints the same); the directory knows it by the invoice's printed string."""
    entry = await runtime.tenant_admin.public_string(document.authentication_code)
    if entry is None or entry.tenant_id != tenant_id:
        return ""
    return entry.company_name or ""


def _answer(document: Document, locale: Locale, pdf: bytes) -> InvoicePdf:
    return InvoicePdf(
        uid=document.uid, language=locale, filename=f"{file_stem(document)}.pdf",
        issuer_name=document.issuer.name, series=document.series, number=document.number,
        issue_date=day(document.issue_date),
        total=money(document.totals.gross, locale, document.currency),
        mark=document.mark, authentication_code=document.authentication_code,
        pdf_base64=base64.b64encode(pdf).decode("ascii"),
    )  # fmt: skip
