"""The public ERP routes (SPEC API-1, API-4, API-9)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.calllog.service import CallTrace
from api_gateway.deps import AllowedCustomer, GatewayRuntime, RuntimeDep
from api_gateway.forwarding.client import UpstreamReply
from api_gateway.invoices import schemas
from kit.errors import REQUEST_LANGUAGE, language_named
from kit.http import body_language, check_text_params, read_capped_body, require_json

router = APIRouter(tags=["invoices"])


def _response(reply: UpstreamReply) -> Response:
    # Status, body and content type exactly as invoice-service answered.
    headers = {"Content-Type": reply.content_type} if reply.content_type else None
    return Response(reply.body, status_code=reply.status, headers=headers)


@router.post(
    "/invoice-data",
    summary="Issue an invoice",
    description=(
        "Validates and transmits one invoice to myDATA and returns its MARK, UID, authentication"
        " string and QR URL. Spends one call of the customer's active package; the call is given"
        " back when no invoice is issued (invalid input, business error, idempotent replay)."
        " Send an ``Idempotency-Key`` to retry safely after a timeout."
    ),
    responses=schemas.ISSUE_RESPONSES,
    openapi_extra=schemas.ISSUE_BODY,
    response_class=Response,
)
async def issue_invoice(
    request: Request, customer: AllowedCustomer, runtime: RuntimeDep
) -> Response:
    if customer.call_log:  # ADMIN-9; the only cost when the log is off
        trace = runtime.call_log.trace(request, customer)
        return await trace.around(_issue(request, customer, runtime, trace))
    return await _issue(request, customer, runtime)


async def _issue(
    request: Request,
    customer: VerifiedCustomer,
    runtime: GatewayRuntime,
    trace: CallTrace | None = None,
) -> Response:
    require_json(request)  # before a call is spent
    body = await read_capped_body(request, runtime.settings.gateway_max_body_bytes)
    REQUEST_LANGUAGE.set(body_language(body))  # the gateway's own refusals, in the ERP's lang
    if trace is not None:
        trace.request_body = body
    query = request.scope["query_string"].decode("latin-1")
    reply = await runtime.invoices.issue(customer, request.headers, query, body)
    return _response(reply)


@router.get(
    "/invoice-data",
    summary="Look up an invoice",
    description=(
        "Finds an invoice by ``auth_code`` (authentication string, temporary or final) or by"
        " ``pnr01`` (the ERP's external id); ``auth_code`` wins when both are given. Free of"
        " charge, rate limited."
    ),
    responses=schemas.LOOK_UP_RESPONSES,
    response_class=Response,
)
async def look_up_invoice(
    request: Request,
    customer: AllowedCustomer,
    runtime: RuntimeDep,
    auth_code: str | None = None,
    pnr01: str | None = None,
) -> Response:
    # The parameters are declared for the documentation; the raw query string is forwarded.
    if customer.call_log:
        trace = runtime.call_log.trace(request, customer)
        return await trace.around(_look_up(request, customer, runtime, auth_code, pnr01))
    return await _look_up(request, customer, runtime, auth_code, pnr01)


async def _look_up(
    request: Request,
    customer: VerifiedCustomer,
    runtime: GatewayRuntime,
    auth_code: str | None,
    pnr01: str | None,
) -> Response:
    query = request.scope["query_string"].decode("latin-1")
    REQUEST_LANGUAGE.set(language_named(request.query_params.get("lang")))
    check_text_params(auth_code=auth_code, pnr01=pnr01)
    reply = await runtime.invoices.look_up(customer, request.headers, query)
    return _response(reply)
