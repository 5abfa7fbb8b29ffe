"""The portal's reads (``contracts.portal.INVOICES_PATH``), with an internal token bound to the
tenant whose invoices they are (portal-web, for a customer or an auditor acting for one)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from contracts.portal import (
    INVOICES_PATH,
    REQUEST_TAIL,
    TOTALS_TAIL,
    XML_TAIL,
    InvoicePage,
    InvoiceQuery,
    InvoiceTotals,
    InvoiceView,
    Loss,
)
from invoice_service.deps import BrowserDep, TenantEngine
from kit.http import check_text_params

router = APIRouter(tags=["portal (internal)"])
Uid = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Fa-f]+$")]
Text20 = Annotated[str | None, Query(max_length=20)]


def invoice_query(
    date_from: date,
    date_to: date,
    cp_vat: Text20 = None,
    series: Text20 = None,
    aa: Text20 = None,
    loss: Loss = "any",
) -> InvoiceQuery:
    check_text_params(cp_vat=cp_vat, series=series, aa=aa)
    return InvoiceQuery(
        date_from=date_from, date_to=date_to, cp_vat=cp_vat or None, series=series or None,
        aa=aa or None, loss=loss,
    )  # fmt: skip


Filters = Annotated[InvoiceQuery, Depends(invoice_query)]


@router.get(INVOICES_PATH, summary="A page of the filtered list, newest first (keyset)")
async def list_invoices(
    query: Filters,
    engine: TenantEngine,
    browser: BrowserDep,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> InvoicePage:
    return await browser.page(engine, query, after, limit)


@router.get(INVOICES_PATH + TOTALS_TAIL, summary="The eight totals of the filtered range")
async def totals(query: Filters, engine: TenantEngine, browser: BrowserDep) -> InvoiceTotals:
    return await browser.totals(engine, query)


@router.get(
    INVOICES_PATH + "/{uid}",
    summary="One invoice for display",
    response_class=Response,
    responses={200: {"model": InvoiceView}},
)
async def view(uid: Uid, engine: TenantEngine, browser: BrowserDep) -> Response:
    return Response(await browser.view(engine, uid.upper()), media_type="application/json")


@router.get(
    INVOICES_PATH + "/{uid}" + XML_TAIL,
    summary="Its InvoicesDoc, as transmitted",
    response_class=Response,
)
async def xml(uid: Uid, engine: TenantEngine, browser: BrowserDep) -> Response:
    name, content = await browser.xml(engine, uid.upper())
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(
        content, media_type="application/xml", headers={"Content-Disposition": disposition}
    )


@router.get(
    INVOICES_PATH + "/{uid}" + REQUEST_TAIL,
    summary="The ERP body as accepted (its e-mail options, its counterpart)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def erp_request(uid: Uid, engine: TenantEngine, browser: BrowserDep) -> Response:
    return Response(await browser.request(engine, uid.upper()), media_type="application/json")
