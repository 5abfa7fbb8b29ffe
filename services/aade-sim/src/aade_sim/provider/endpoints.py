"""HTTP surface of the provider API (``/myDataProvider/*``, any case — see ``front.py``).

Technical errors are bare .NET-style answers (HTTP 400 with a plain-text message, MYDATA.md §2);
business errors are HTTP 200 with a ResponseDoc.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from aade_sim.deps import Provider, ProviderUser, Settings
from aade_sim.provider.front import BASE
from aade_sim.provider.xml_out import XML_MEDIA_TYPE, receiver_info_doc
from kit.errors import PayloadTooLarge
from kit.http import read_capped_body

router = APIRouter(prefix=BASE, tags=["myDATA provider"])

NO_MARK = "Please pass mark in the request parameters or body"


def _xml(body: bytes) -> Response:
    return Response(body, media_type=XML_MEDIA_TYPE)


def _query(request: Request) -> dict[str, str]:
    # ASP.NET binds query parameters case-insensitively (issuervat, issuerVat, …).
    return {k.lower(): v for k, v in request.query_params.items()}


@router.post("/SendInvoices", summary="Transmit an InvoicesDoc; answers a ResponseDoc")
async def send_invoices(
    request: Request, provider: Provider, user: ProviderUser, settings: Settings
) -> Response:
    try:
        body = await read_capped_body(request, settings.max_body_bytes)
    except PayloadTooLarge:  # answered as AADE's front does: plain text
        return PlainTextResponse("Request body too large", status_code=413)
    return _xml(await provider.send_invoices(body, user))


@router.get("/RequestTransmittedDocs", summary="Own transmissions with MARK greater than mark")
async def request_transmitted_docs(
    request: Request, provider: Provider, user: ProviderUser
) -> Response:
    query = _query(request)
    mark = query.get("mark", "")
    if not mark:
        return PlainTextResponse(NO_MARK, status_code=400)
    if not mark.isdigit():
        return PlainTextResponse("General Exception Error", status_code=400)
    body = provider.transmitted_docs(
        user, int(mark), query.get("issuervat") or None, query.get("nextrowkey") or None
    )
    return _xml(body)


@router.get("/RequestReceiverInfo", summary="A recipient's providers and e-invoice e-mails")
async def request_receiver_info(
    request: Request, provider: Provider, _user: ProviderUser
) -> Response:
    vat = _query(request).get("vatnumber", "")
    if not vat:
        return PlainTextResponse("Please pass vatNumber in the request parameters", status_code=400)
    return _xml(receiver_info_doc(provider.reception(vat)))
