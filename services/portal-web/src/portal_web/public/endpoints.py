"""``/`` and ``/search`` (PORTAL-1, API-8): no login needed. ``/search?auth_code=`` is printed in
every invoice's QR code and ``/search?temp_code=…`` in seed 001's temporary QR: both are
contracts with printed paper and never change."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from portal_web.deps import Guest, RuntimeDep, Visitor
from portal_web.documents.model import Document
from portal_web.invoices.service import pdf_response
from portal_web.public import service

router = APIRouter(tags=["public"], include_in_schema=False)


@router.get("/")
async def home(visitor: Guest, runtime: RuntimeDep) -> Response:
    return _search_page(visitor, runtime, outcome="none", code="")


@router.get("/search")
async def search(request: Request, visitor: Guest, runtime: RuntimeDep) -> Response:
    params = request.query_params
    if "temp_code" in params:
        return await _temporary_qr(visitor, runtime)
    typed = params.get("auth_code", "")
    if not typed.strip():
        return _search_page(visitor, runtime, outcome="none", code="")
    document = await _by_code(visitor, runtime, typed)
    outcome = "found" if document else "not_found"
    status = 200 if document else 404
    return _search_page(visitor, runtime, outcome, typed, document, status=status)


@router.get("/search/pdf")
async def search_pdf(visitor: Guest, runtime: RuntimeDep, auth_code: str = "") -> Response:
    document = await _by_code(visitor, runtime, auth_code)
    if document is None:
        return _search_page(visitor, runtime, "not_found", auth_code, status=404)
    return await pdf_response(runtime, visitor, document)


async def _by_code(visitor: Visitor, runtime: RuntimeDep, typed: str) -> Document | None:
    """The invoice the string names; every miss counts against the visitor's address."""
    address = visitor.request.client.host if visitor.request.client else ""
    runtime.guesses.check(address)
    code = service.normal_code(typed)
    found = None
    if code is not None:
        found = await service.find_by_code(
            runtime.tenant_admin, runtime.invoices, code, visitor.locale
        )
    if found is None:
        runtime.guesses.missed(address)
    return found


async def _temporary_qr(visitor: Visitor, runtime: RuntimeDep) -> Response:
    qr = service.read_temp_qr(visitor.request.query_params)
    if qr is None or not qr.holds():
        return _search_page(visitor, runtime, "invalid_qr", "", status=400)
    document = await service.find_by_code(
        runtime.tenant_admin, runtime.invoices, qr.temp_code.lower(), visitor.locale
    )
    if document is None:
        return runtime.pages.render(visitor.page, "public/temporary.html", qr=qr)
    return _search_page(visitor, runtime, "found", document.authentication_code, document)


def _search_page(
    visitor: Visitor,
    runtime: RuntimeDep,
    outcome: str,
    code: str,
    document: Document | None = None,
    *,
    status: int = 200,
) -> Response:
    return runtime.pages.render(
        visitor.page, "public/search.html", status=status, outcome=outcome, code=code,
        document=document,
    )  # fmt: skip
