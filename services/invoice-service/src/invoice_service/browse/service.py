"""Browsing one customer's invoices for portal-web (``contracts.portal``): a keyset-paged list
that stays stable while new invoices arrive, the range's totals, one invoice, its XML."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.portal import InvoicePage, InvoiceQuery, InvoiceRow, InvoiceTotals, InvoiceView
from invoice_service.browse import repository
from invoice_service.invoices import repository as invoices_repo
from invoice_service.invoices.errors import InvoiceNotFound
from invoice_service.invoices.presenter import present
from kit.db import workflow_step
from kit.errors import InvalidRequest
from mydata.erp import parse_erp_invoice
from mydata.invoices_doc import build_invoices_doc
from tenant_schema.invoices import TOTALS

MAX_RANGE_DAYS = 3660
# Dirty days rolled up per totals request: bounds its cost after a long quiet spell or a bulk
# load; the rest stay summed from the raw rows (still exact) until later requests.
ROLL_UP_DAYS = 400


def check_range(query: InvoiceQuery) -> None:
    if query.date_from > query.date_to:
        raise InvalidRequest(["date_from: must not be after date_to"])
    if (query.date_to - query.date_from).days > MAX_RANGE_DAYS:
        raise InvalidRequest([f"date_to: the range may span at most {MAX_RANGE_DAYS} days"])


def encode_cursor(day: date, invoice_id: int) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat()}.{invoice_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[date, int] | None:
    if not cursor:
        return None
    try:
        day, _, invoice_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition(".")
        return date.fromisoformat(day), int(invoice_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidRequest(["after: not a cursor this list gave"]) from None


def _row(row: Row[Any]) -> InvoiceRow:
    return InvoiceRow(
        uid=row.uid, issue_date=row.issue_date, series=row.series, aa=row.aa,
        invoice_type=row.invoice_type, counterpart_vat=row.counterpart_vat,
        counterpart_name=row.counterpart_name, state=row.state,
        transmission_failure=row.transmission_failure,
        mark=row.mark if row.state == "transmitted" else None,
        code=row.authentication_code or row.temporary_code, total_net=row.total_net,
        total_vat=row.total_vat, total_gross=row.total_gross,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Browser:
    portal_url: str

    async def page(
        self, engine: AsyncEngine, query: InvoiceQuery, after: str | None, limit: int
    ) -> InvoicePage:
        check_range(query)
        cursor = decode_cursor(after)
        async with engine.connect() as conn:
            rows = await repository.page(conn, query, cursor, limit + 1)
        items, more = rows[:limit], len(rows) > limit
        last = items[-1] if items else None
        next_cursor = encode_cursor(last.issue_date, last.id) if more and last else None
        return InvoicePage(items=[_row(r) for r in items], next_cursor=next_cursor)

    async def totals(self, engine: AsyncEngine, query: InvoiceQuery) -> InvoiceTotals:
        """The range's eight totals; dirty days of the range are rolled up first, so the next
        look at the same range reads a few hundred day rows (a cache refresh, idempotent)."""
        check_range(query)
        async with workflow_step(engine) as conn:
            await repository.roll_up(conn, query.date_from, query.date_to, ROLL_UP_DAYS)
        async with engine.connect() as conn:
            row = await repository.totals(conn, query)
        return InvoiceTotals(count=row.count, **{name: getattr(row, name) for name in TOTALS})

    async def view(self, engine: AsyncEngine, uid: str) -> bytes:
        """An ``InvoiceView`` as JSON, its amounts exact (seed 002's ``data`` keeps the ERP's
        decimals as JSON numbers; a pydantic round trip would turn them into floats)."""
        async with engine.connect() as conn:
            invoice = _found(await repository.by_uid(conn, uid))
            lines = await invoices_repo.lines_of(conn, invoice.id)
        view = InvoiceView(
            data={},
            state=invoice.state,
            temporary=invoice.state != "transmitted",
            temporary_code=invoice.temporary_code,
            errors=list(invoice.errors or []),
            issued_at=invoice.created_at,
        )
        body = view.model_dump(mode="json") | {"data": present(invoice, lines, self.portal_url)}
        return orjson.dumps(body)

    async def request(self, engine: AsyncEngine, uid: str) -> bytes:
        """The ERP body as stored when the invoice was accepted (validated, absent fields left
        out, amounts as exact strings): the notifier reads its ``einv00`` (SPEC API-10)."""
        async with engine.connect() as conn:
            invoice = _found(await repository.by_uid(conn, uid))
        return orjson.dumps(invoice.request)

    async def xml(self, engine: AsyncEngine, uid: str) -> tuple[str, bytes]:
        """PORTAL-5: the InvoicesDoc as transmitted, or as the next retry will send it (with
        transmissionFailure 2 once a temporary string stands); named after series and number."""
        async with engine.connect() as conn:
            invoice = _found(await repository.by_uid(conn, uid))
        return f"{invoice.series}-{invoice.aa}.xml", _xml_of(invoice)


def _xml_of(invoice: Row[Any]) -> bytes:
    retried = invoice.state in ("pending", "deferred") and invoice.transmission_failure == 2
    if retried:
        return build_invoices_doc([parse_erp_invoice(invoice.request)], provider_outage=True)
    return str(invoice.request_xml).encode("utf-8")


def _found(invoice: Row[Any] | None) -> Row[Any]:
    if invoice is None:
        raise InvoiceNotFound("Δεν βρέθηκε παραστατικό", message_en="No invoice matches")
    return invoice
