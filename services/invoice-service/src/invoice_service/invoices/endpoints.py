"""``/invoice-data``: reached only through the gateway (internal token + ``X-Tenant-Id``)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from invoice_service.deps import InternalCaller, Settings
from invoice_service.invoices.errors import IssuanceNotImplemented
from invoice_service.invoices.service import check_invoice, parse_body
from kit.errors import PayloadTooLarge

router = APIRouter(tags=["invoices"])


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


@router.post("/invoice-data", summary="Issue an invoice (SPEC API-1)")
async def issue_invoice(request: Request, caller: InternalCaller, settings: Settings) -> None:
    body = parse_body(await _read_capped(request, settings.max_body_bytes))
    check_invoice(body)
    raise IssuanceNotImplemented()


@router.get("/invoice-data", summary="Look an invoice up (SPEC API-4)")
async def find_invoice(caller: InternalCaller) -> None:
    raise IssuanceNotImplemented()
