"""``/invoice-data``: reached only through the gateway (internal token + ``X-Tenant-Id``)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from invoice_service.deps import InternalCaller, IssuanceDep, Settings
from invoice_service.invoices.service import Caller
from kit.errors import PayloadTooLarge

router = APIRouter(tags=["invoices"])

# Tells the gateway to give the call back: a replay issues nothing new (SPEC API-9).
NOT_CHARGED_HEADER = "X-Einv-Not-Charged"
MAX_IDEMPOTENCY_KEY = 200


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refused once it passes ``limit`` bytes, whatever Content-Length claims."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _ok(data: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps({"ok": 1, "code": 200, "data": data})
    return Response(body, media_type="application/json", headers=headers)


@router.post("/invoice-data", summary="Issue an invoice (SPEC API-1, API-2, API-5)")
async def issue_invoice(
    request: Request,
    caller: InternalCaller,
    settings: Settings,
    issuance: IssuanceDep,
    idempotency_key: Annotated[str | None, Header(max_length=MAX_IDEMPOTENCY_KEY)] = None,
) -> Response:
    raw = await _read_capped(request, settings.max_body_bytes)
    who = Caller(caller.tenant_id, caller.username, (idempotency_key or "").strip() or None)
    issued = await issuance.issue(who, raw)
    return _ok(issued.data, {NOT_CHARGED_HEADER: "1"} if issued.replayed else None)


@router.get("/invoice-data", summary="Look an invoice up by auth_code or pnr01 (SPEC API-4)")
async def find_invoice(
    caller: InternalCaller,
    issuance: IssuanceDep,
    auth_code: Annotated[str | None, Query(max_length=100)] = None,
    pnr01: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    found = await issuance.find(caller.tenant_id, auth_code, pnr01)
    return _ok(found.data)
