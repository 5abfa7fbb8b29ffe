"""Event payloads, one pydantic model per routing key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenRevoked(_Payload):
    """An API token stopped being valid; gateways drop it from their cache at once."""

    jti: str
    customer_id: str


class TenantProvisioned(_Payload):
    tenant_id: str
    database: str
    server_id: int


# --- invoice transmission (invoice-service ↔ mydata-sync) -------------------------------------
# ``extra="forbid"`` everywhere except ``invoice``: the ERP body is validated by mydata.erp.


class ErrorDetail(_Payload):
    code: str
    message: str


class InvoiceSubmitted(_Payload):
    """Command to transmit one invoice (same JSON as mydata-sync's transmit RPC body)."""

    tenant_id: str = Field(min_length=1, max_length=64)
    invoice_id: int
    uid: str = Field(min_length=1, max_length=64)
    customer_username: str = Field(max_length=200)
    temporary_code: str = Field(max_length=200)
    invoice: dict[str, Any]
    xml: str = Field(min_length=1, max_length=20_000_000)


class TransmissionRetryRequested(_Payload):
    """Ask mydata-sync to try a deferred transmission again now."""

    tenant_id: str
    uid: str


class InvoiceTransmitted(_Payload):
    """myDATA registered the invoice (also after a 228/233 duplicate recovery)."""

    tenant_id: str
    invoice_id: int
    uid: str
    mark: str
    authentication_code: str | None
    qr_url: str | None
    response_xml: str | None
    request_xml: str | None


class InvoiceDeferred(_Payload):
    """myDATA could not be reached: a temporary string stands; mydata-sync keeps retrying."""

    tenant_id: str
    invoice_id: int
    uid: str
    reason: str
    attempts: int
    next_attempt_at: datetime | None


class InvoiceRejected(_Payload):
    """myDATA refused the invoice (business error); retrying stops."""

    tenant_id: str
    invoice_id: int
    uid: str
    errors: list[ErrorDetail]
    response_xml: str | None
    request_xml: str | None


EVENT_TYPES: dict[str, type[_Payload]] = {
    "token.revoked": TokenRevoked,
    "tenant.provisioned": TenantProvisioned,
    "invoice.submitted": InvoiceSubmitted,
    "transmission.retry_requested": TransmissionRetryRequested,
    "invoice.transmitted": InvoiceTransmitted,
    "invoice.deferred": InvoiceDeferred,
    "invoice.rejected": InvoiceRejected,
}


def payload_model(event_type: str) -> type[_Payload]:
    return EVENT_TYPES[event_type]
