"""``/invoices`` (PORTAL-3): the list refreshes through htmx when a filter changes and "More"
appends the next 10 rows; without JavaScript the same links and form work as plain pages.
``/invoices/{uid}`` opens one invoice in a new tab, with its XML and PDF beside it."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from kit.errors import NotFound
from portal_web.deps import Reader, RuntimeDep
from portal_web.documents.service import load_document
from portal_web.invoices import service

router = APIRouter(tags=["invoices"], include_in_schema=False)
Uid = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,64}$")]
Cursor = Annotated[str, Query(max_length=500)]
# Without JavaScript, "More" reloads the page with one page more (bounded).
Pages = Annotated[int, Query(ge=1, le=50)]


@router.get("/invoices")
async def invoice_list(reader: Reader, runtime: RuntimeDep, pages: Pages = 1) -> Response:
    return await _results(reader, runtime, "invoices/list.html", pages)


@router.get("/invoices/results")
async def invoice_results(reader: Reader, runtime: RuntimeDep) -> Response:
    response = await _results(reader, runtime, "invoices/_results.html", 1)
    filters = service.read_filters(reader.visitor.request.query_params)
    response.headers["HX-Push-Url"] = f"/invoices?{filters.params}"
    return response


@router.get("/invoices/more")
async def more_rows(
    reader: Reader, runtime: RuntimeDep, after: Cursor = "", shown: Pages = 1
) -> Response:
    filters = service.read_filters(reader.visitor.request.query_params)
    if filters.query is None or not after:
        return Response(status_code=204)
    page = await service.next_page(runtime, reader, filters.query, after)
    return runtime.pages.render(
        reader.visitor.page, "invoices/_rows.html", rows=page.items,
        next_cursor=page.next_cursor, filters=filters, shown=shown + 1,
    )  # fmt: skip


@router.get("/invoices/{uid}")
async def invoice_view(uid: Uid, reader: Reader, runtime: RuntimeDep) -> Response:
    await service.audit(runtime, reader, f"invoice view {uid}")
    document, email = await asyncio.gather(
        load_document(
            runtime.invoices, reader.tenant_id, uid, reader.visitor.locale, reader.company_name
        ),
        service.email_status(runtime, reader, uid),
    )
    if document is None:
        raise NotFound("no such invoice")
    return runtime.pages.render(
        reader.visitor.page, "invoices/view.html", document=document, email=email
    )


@router.get("/invoices/{uid}/xml")
async def invoice_xml(uid: Uid, reader: Reader, runtime: RuntimeDep) -> Response:
    response = await service.xml_response(runtime, reader, uid)
    if response is None:
        raise NotFound("no such invoice")
    return response


@router.get("/invoices/{uid}/pdf")
async def invoice_pdf(uid: Uid, reader: Reader, runtime: RuntimeDep) -> Response:
    await service.audit(runtime, reader, f"invoice PDF {uid}")
    document = await load_document(
        runtime.invoices, reader.tenant_id, uid, reader.visitor.locale, reader.company_name
    )
    if document is None:
        raise NotFound("no such invoice")
    return await service.pdf_response(runtime, reader.visitor, document)


async def _results(reader: Reader, runtime: RuntimeDep, template: str, pages: int) -> Response:
    visitor = reader.visitor
    filters = service.read_filters(visitor.request.query_params)
    if filters.query is None:
        # htmx swaps only 2xx answers: the problems replace the list like any other answer.
        status = 200 if visitor.request.headers.get("hx-request") else 400
        return runtime.pages.render(
            visitor.page, template, status=status, filters=filters, rows=[], next_cursor=None,
            totals=None, shown=1, loss_names=service.LOSS_NAMES,
        )  # fmt: skip
    page, totals = await service.first_page(runtime, reader, filters.query)
    rows, cursor = list(page.items), page.next_cursor
    for _ in range(pages - 1):  # the no-JavaScript "More"
        if cursor is None:
            break
        more = await service.next_page(runtime, reader, filters.query, cursor)
        rows, cursor = rows + more.items, more.next_cursor
    return runtime.pages.render(
        visitor.page, template, filters=filters, rows=rows, next_cursor=cursor, totals=totals,
        shown=pages, loss_names=service.LOSS_NAMES,
    )  # fmt: skip
