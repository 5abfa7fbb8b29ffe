"""The public connection-loss notice routes: free of calls, rate limited like any call."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api_gateway.deps import AllowedCustomer, RuntimeDep
from api_gateway.forwarding.services import passed_language
from api_gateway.registry.endpoints import passed_through
from api_gateway.responses import RATE_LIMITED, UNAUTHORIZED, error_doc
from contracts.notices import MAX_NOTICES, NOTICES_PATH, NoticeReceipt, NoticeReceipts
from kit.http import read_capped_body, require_json

router = APIRouter(tags=["connection-loss notices"])
MAX_BODY = 256 * 1024
BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            'The invoices issued while the ERP could not reach the platform: ``{"notices":'
            ' [{"vat": "094420307", "series": "A", "number": "124"}, ...]}`` (up to'
            f" {MAX_NOTICES}); a bare list or a single notice is read the same. ``vat`` is the"
            " issuer's (default: the customer's own); ``aa`` and ``is_vat`` are accepted for"
            " ``number`` and ``vat``, as in ``/invoice-data``."
        ),
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/connection-loss-notices",
    summary="Notify invoices issued during a loss of connection",
    description=(
        "Records one notice per invoice and answers a receipt number and time for each"
        " (``Επιβεβαίωση Λήψης``), also sent by e-mail. When the invoice later arrives (with"
        " ``transmission_failure`` 1) it is matched to its notice. Notifying an invoice again"
        " answers its first receipt (``repeated``). Free of calls."
    ),
    response_model=NoticeReceipts,
    responses={
        400: error_doc(
            "A notice breaks a rule; each problem names the notice and the field",
            "invalid_request",
            "Μη έγκυρο αίτημα",
            "Το αίτημα δεν είναι έγκυρο",
        ),
        401: UNAUTHORIZED,
        429: RATE_LIMITED,
    },
    openapi_extra=BODY,
    response_class=Response,
)
async def notify(request: Request, customer: AllowedCustomer, runtime: RuntimeDep) -> Response:
    require_json(request)
    body = await read_capped_body(request, MAX_BODY)
    language = passed_language(request.headers, request.query_params.get("lang"))
    reply = await runtime.tenant_admin.call(
        "POST", NOTICES_PATH, customer, language=language, body=body
    )
    return passed_through(reply)


@router.get(
    "/connection-loss-notices",
    summary="The customer's notices and whether each invoice has arrived",
    response_model=list[NoticeReceipt],
    responses={401: UNAUTHORIZED, 429: RATE_LIMITED},
    response_class=Response,
)
async def notices(request: Request, customer: AllowedCustomer, runtime: RuntimeDep) -> Response:
    language = passed_language(request.headers, request.query_params.get("lang"))
    reply = await runtime.tenant_admin.call("GET", NOTICES_PATH, customer, language=language)
    return passed_through(reply)
