"""The transmit RPC invoice-service calls while issuing (``contracts.http.TRANSMISSIONS_PATH``)."""

from __future__ import annotations

from fastapi import APIRouter

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted
from contracts.http import TRANSMISSIONS_PATH
from kit.errors import AppError
from mydata.erp import parse_erp_invoice
from mydata.errors import InvoiceInputError
from mydata_sync.deps import InternalCaller, Transmitter

router = APIRouter(tags=["transmissions"])


@router.post(TRANSMISSIONS_PATH, response_model=Envelope)
async def transmit(body: InvoiceSubmitted, _: InternalCaller, service: Transmitter) -> Envelope:
    """Record and transmit one invoice; idempotent per (tenant_id, uid). The answer is the
    outcome event (``invoice.transmitted|deferred|rejected``) that is also published."""
    try:
        # Checked now: later retries rebuild the XML from this body and must be able to.
        parse_erp_invoice(body.invoice)
    except InvoiceInputError as exc:
        raise AppError(**exc.error_fields()) from exc
    return (await service.transmit(body)).event
