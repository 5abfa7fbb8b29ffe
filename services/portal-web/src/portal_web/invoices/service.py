"""The invoice list's filters (seed 001: dates DD/MM/YYYY, default the last month up to today),
its pages of 10 (keyset: invoice-service's ``next_cursor``) and totals; one invoice's view, XML
and PDF; and the auditors' trail (every view of a granted customer's data is recorded first)."""

from __future__ import annotations

import asyncio
import calendar
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import get_args
from urllib.parse import quote, urlencode

from lxml import etree
from pydantic import ValidationError
from starlette.responses import Response

from contracts.notifications import InvoiceEmailView
from contracts.portal import AuditView, InvoicePage, InvoiceQuery, InvoiceTotals, Loss
from portal_web.clients.http import UpstreamUnavailable
from portal_web.deps import InvoiceReader, PortalRuntime, Visitor
from portal_web.documents.model import Document
from portal_web.documents.pdf import pdf_html
from portal_web.documents.service import file_stem, safe_name
from webkit.formats import day, parse_day, today_in_athens
from webkit.i18n import N_, Message

log = logging.getLogger("portal_web.invoices")
PAGE_SIZE = 10
MAX_RANGE_DAYS = 3660  # invoice-service's limit on one query (ten years)
LOSSES: tuple[Loss, ...] = get_args(Loss)
LOSS_NAMES: dict[str, str] = {
    "any": N_("None"),
    "erp": N_("Connection loss with the provider"),
    "mydata": N_("Connection loss of the provider with myDATA"),
}
FILTER_FIELDS = ("date_from", "date_to", "cp_vat", "series", "aa", "loss")


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter form as typed (shown back as is) and, when valid, the query it makes."""

    values: dict[str, str]
    query: InvoiceQuery | None
    problems: list[Message] = field(default_factory=list)

    @property
    def params(self) -> str:
        return urlencode({name: self.values[name] for name in FILTER_FIELDS})


def month_before(today: date) -> date:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def read_filters(params: Mapping[str, str]) -> Filters:
    today = today_in_athens()
    values = {name: params.get(name, "").strip()[:40] for name in FILTER_FIELDS}
    values["date_from"] = values["date_from"] or day(month_before(today))
    values["date_to"] = values["date_to"] or day(today)
    values["loss"] = values["loss"] if values["loss"] in LOSSES else "any"
    problems = _date_problems(values)
    if problems:
        return Filters(values, None, problems)
    try:
        query = InvoiceQuery(
            date_from=parse_day(values["date_from"]), date_to=parse_day(values["date_to"]),
            cp_vat=values["cp_vat"] or None, series=values["series"] or None,
            aa=values["aa"] or None, loss=values["loss"],
        )  # fmt: skip
    except ValidationError:
        return Filters(values, None, [Message(N_("A filter is too long."), level="error")])
    return Filters(values, query)


def _date_problems(values: dict[str, str]) -> list[Message]:
    start, end = parse_day(values["date_from"]), parse_day(values["date_to"])
    problems = []
    if start is None:
        problems.append(Message(N_("Date from: write it as DD/MM/YYYY."), level="error"))
    if end is None:
        problems.append(Message(N_("Date to: write it as DD/MM/YYYY."), level="error"))
    if start and end and start > end:
        problems.append(Message(N_("Date from is after date to."), level="error"))
    if start and end and (end - start).days > MAX_RANGE_DAYS:
        problems.append(Message(N_("The period may span at most ten years."), level="error"))
    return problems


async def first_page(
    runtime: PortalRuntime, reader: InvoiceReader, query: InvoiceQuery
) -> tuple[InvoicePage, InvoiceTotals]:
    await audit(runtime, reader, f"invoice list {query.date_from}..{query.date_to}")
    page, totals = await asyncio.gather(
        runtime.invoices.page(reader.tenant_id, query, after=None, limit=PAGE_SIZE),
        runtime.invoices.totals(reader.tenant_id, query),
    )
    return page, totals


async def next_page(
    runtime: PortalRuntime, reader: InvoiceReader, query: InvoiceQuery, after: str
) -> InvoicePage:
    await audit(runtime, reader, f"invoice list {query.date_from}..{query.date_to} (more)")
    return await runtime.invoices.page(reader.tenant_id, query, after=after, limit=PAGE_SIZE)


async def audit(runtime: PortalRuntime, reader: InvoiceReader, what: str) -> None:
    """An auditor's view is recorded before anything is shown: no record, no data."""
    if reader.audited:
        view = AuditView(what=what[:200], client_ip=reader.visitor.client_ip)
        await runtime.tenant_admin.record_view(reader.visitor.live.session_id, view)


@dataclass(frozen=True, slots=True)
class EmailStatus:
    """The invoice's e-mail to its recipient (API-10); ``view`` None: not seen transmitted yet."""

    view: InvoiceEmailView | None
    available: bool = True

    @property
    def state(self) -> str:
        if not self.available:
            return "unavailable"
        return self.view.state if self.view else "none"


async def email_status(runtime: PortalRuntime, reader: InvoiceReader, uid: str) -> EmailStatus:
    """Asked beside the invoice itself; the notifier being away never hides the invoice."""
    try:
        return EmailStatus(await runtime.notifier.invoice_email(reader.tenant_id, uid))
    except UpstreamUnavailable as exc:
        log.warning("invoice e-mail status unavailable: %s", exc)
        return EmailStatus(None, available=False)


async def xml_response(runtime: PortalRuntime, reader: InvoiceReader, uid: str) -> Response | None:
    await audit(runtime, reader, f"invoice XML {uid}")
    xml = await runtime.invoices.xml(reader.tenant_id, uid)
    if xml is None:
        return None
    return download(xml, f"{xml_stem(xml) or safe_name(uid)}.xml", "application/xml")


def xml_stem(xml: bytes) -> str:
    """``{series}-{aa}`` from the InvoicesDoc itself (PORTAL-5: the file is named after them)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError:
        return ""
    series = root.findtext(".//{*}invoiceHeader/{*}series") or ""
    number = root.findtext(".//{*}invoiceHeader/{*}aa") or ""
    return safe_name(f"{series}-{number}".strip("-"))


async def pdf_response(runtime: PortalRuntime, visitor: Visitor, document: Document) -> Response:
    html = pdf_html(runtime.pages, visitor.page, document)
    pdf = await runtime.pdf.render(html)
    return download(pdf, f"{file_stem(document)}.pdf", "application/pdf")


def download(content: bytes, filename: str, media_type: str) -> Response:
    # Greek series survive in filename*; the plain name keeps ASCII only.
    plain = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(content, media_type=media_type, headers=headers)
