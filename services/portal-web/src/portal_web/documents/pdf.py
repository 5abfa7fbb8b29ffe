"""The invoice as a PDF (PORTAL-4): the same template as the page, rendered by WeasyPrint on the
server with the print style sheet and "page x / y" in the page margin.

WeasyPrint is CPU work of about a second: it runs in a worker thread, a few at a time, and
fetches nothing (style sheets are inlined; the logo and the QR code are already inside the
HTML; only data: URIs load).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from markupsafe import Markup

from portal_web.documents.model import Document
from webkit.pages import PageContext, Pages

STYLE_SHEETS = ("document.css", "print.css")
CSS_DIR = Path(__file__).resolve().parents[1] / "static" / "css"


class PdfRenderer:
    def __init__(self, concurrency: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)

    async def render(self, html: str) -> bytes:
        async with self._slots:
            return await asyncio.to_thread(_write_pdf, html)


def _write_pdf(html: str) -> bytes:
    # Imported here: loading WeasyPrint (Pango, fonts) costs a second the portal's start-up and
    # its tests should not pay until a PDF is asked for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf: Any = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return bytes(pdf)


def style_sheets() -> Markup:
    # Our own files, read at each render (small): they go inside a <style> element as is.
    return Markup("\n".join((CSS_DIR / name).read_text("utf-8") for name in STYLE_SHEETS))


def pdf_html(pages: Pages, page: PageContext, document: Document) -> str:
    """The PDF's HTML: the invoice partial with the print style sheets inlined."""
    return pages.text(
        page.locale, "invoices/pdf.html", page=page, document=document, styles=style_sheets()
    )
