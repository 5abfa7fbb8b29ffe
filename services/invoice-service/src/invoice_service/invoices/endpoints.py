"""``/invoice-data``: reached only through the gateway (internal token bound to ``X-Tenant-Id``)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from contracts.http import IDEMPOTENCY_KEY_HEADER, NOT_CHARGED_HEADER
from invoice_service.deps import Forwarded, IssuanceDep, Settings
from invoice_service.invoices.service import IssueRequest
from kit.errors import REQUEST_LANGUAGE, language_named, request_language
from kit.http import body_language, check_text_params, read_capped_body, require_json

router = APIRouter(tags=["invoices"])

MAX_IDEMPOTENCY_KEY = 200


def _ok(data: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps({"ok": 1, "code": 200, "data": data})
    return Response(body, media_type="application/json", headers=headers)


@router.post("/invoice-data", summary="Issue an invoice (SPEC API-1, API-2, API-5)")
async def issue_invoice(
    request: Request,
    call: Forwarded,
    settings: Settings,
    issuance: IssuanceDep,
    idempotency_key: Annotated[
        str | None, Header(alias=IDEMPOTENCY_KEY_HEADER, max_length=MAX_IDEMPOTENCY_KEY)
    ] = None,
) -> Response:
    require_json(request)
    raw = await read_capped_body(request, settings.max_body_bytes)
    REQUEST_LANGUAGE.set(body_language(raw) or request_language(request))
    issue = IssueRequest(
        tenant_id=call.tenant_id,
        username=call.username,
        issuer_vats=call.issuer_vats,
        idempotency_key=(idempotency_key or "").strip() or None,
    )
    issued = await issuance.issue(issue, raw)
    return _ok(issued.data, {NOT_CHARGED_HEADER: "1"} if issued.replayed else None)


@router.get("/invoice-data", summary="Look an invoice up by auth_code or pnr01 (SPEC API-4)")
async def find_invoice(
    request: Request,
    call: Forwarded,
    issuance: IssuanceDep,
    auth_code: Annotated[str | None, Query(max_length=100)] = None,
    pnr01: Annotated[str | None, Query(max_length=100)] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    REQUEST_LANGUAGE.set(language_named(lang) or request_language(request))
    check_text_params(auth_code=auth_code, pnr01=pnr01)
    found = await issuance.find(call.tenant_id, auth_code, pnr01)
    return _ok(found.data)
