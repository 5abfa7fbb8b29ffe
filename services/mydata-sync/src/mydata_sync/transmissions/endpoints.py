"""``POST /internal/transmissions``: the transmit RPC invoice-service calls while issuing."""

from __future__ import annotations

from fastapi import APIRouter

from kit.errors import AppError
from mydata.erp import parse_erp_invoice
from mydata.errors import InvoiceInputError
from mydata_sync.deps import InternalCaller, Transmitter
from mydata_sync.transmissions.schemas import TransmitAnswer, TransmitRequest

router = APIRouter(prefix="/internal", tags=["transmissions"])


@router.post("/transmissions", response_model=TransmitAnswer)
async def transmit(
    body: TransmitRequest, _: InternalCaller, service: Transmitter
) -> TransmitAnswer:
    """Record and transmit one invoice; idempotent per (tenant_id, uid)."""
    try:
        # Checked now: later retries rebuild the XML from this body and must be able to.
        parse_erp_invoice(body.invoice)
    except InvoiceInputError as exc:
        raise AppError(**exc.error_fields()) from exc
    return (await service.transmit(body)).answer
