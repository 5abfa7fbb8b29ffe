"""Message payloads, one pydantic model per routing key (``TYPE``), and the envelope helpers.

Every payload class names its own routing key in ``TYPE``; code refers to
``InvoiceTransmitted.TYPE`` rather than spelling ``"invoice.transmitted"``, and ``EVENT_TYPES``
is built from the classes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Envelope


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    TYPE: ClassVar[str]


class TokenRevoked(_Payload):
    """An API token stopped being valid; gateways drop it from their cache at once."""

    TYPE = "token.revoked"

    jti: str
    customer_id: str


class TenantProvisioned(_Payload):
    TYPE = "tenant.provisioned"

    tenant_id: str
    database: str
    server_id: int


# --- invoice transmission (invoice-service ↔ mydata-sync) -------------------------------------
# ``extra="forbid"`` everywhere except ``invoice``: the ERP body is validated by mydata.erp.


class ErrorDetail(_Payload):
    code: str
    message: str


class InvoiceSubmitted(_Payload):
    """Command to transmit one invoice; also the body of mydata-sync's transmit RPC."""

    TYPE = "invoice.submitted"

    tenant_id: str = Field(min_length=1, max_length=64)
    invoice_id: int
    uid: str = Field(min_length=1, max_length=64)
    customer_username: str = Field(max_length=200)
    temporary_code: str = Field(max_length=200)
    invoice: dict[str, Any]
    xml: str = Field(min_length=1, max_length=20_000_000)


class TransmissionRetryRequested(_Payload):
    """Ask mydata-sync to try a deferred transmission again now."""

    TYPE = "transmission.retry_requested"

    tenant_id: str
    uid: str


class RecipientOptions(_Payload):
    """What the ERP body says about e-mailing the invoice (seed 002 ``einv00``) and to whom,
    carried in the outcome so that the notifier needs no round trip to invoice-service."""

    counterpart_vat: str | None = None  # ``cp_vat``
    counterpart_country: str | None = None  # ``cp_country``
    einv00: dict[str, Any] | None = None


class _Outcome(_Payload):
    """What every outcome carries besides its own fields: the invoice and the public strings
    printed for it, which tenant-admin's directory maps back to the tenant (the public search
    never scans tenant databases)."""

    tenant_id: str
    invoice_id: int
    uid: str
    temporary_code: str | None = None  # the provider's temporary authentication string
    temp_qr_code: str | None = None  # seed 001's temporary-QR key (``temp_code``)
    # The invoice as its issuer names it: a connection-loss notice is matched on these.
    issuer_vat: str | None = None
    series: str | None = None
    number: str | None = None  # ``aa``
    erp_outage: bool = False  # the ERP sent it with transmission_failure 1 (its own outage)
    recipient: RecipientOptions | None = None  # None (older events): ask invoice-service


class InvoiceTransmitted(_Outcome):
    """myDATA registered the invoice (also after a 228/233 duplicate recovery)."""

    TYPE = "invoice.transmitted"

    mark: str
    authentication_code: str | None
    qr_url: str | None
    response_xml: str | None
    request_xml: str | None


class InvoiceDeferred(_Outcome):
    """myDATA could not be reached: a temporary string stands; mydata-sync keeps retrying."""

    TYPE = "invoice.deferred"

    reason: str
    attempts: int
    next_attempt_at: datetime | None


class InvoiceRejected(_Outcome):
    """myDATA refused the invoice (business error); retrying stops."""

    TYPE = "invoice.rejected"

    errors: list[ErrorDetail]
    response_xml: str | None
    request_xml: str | None


class InvoiceRecipientEmailed(_Payload):
    """The notifier's SMTP server took the invoice's e-mail to its recipient (SPEC API-10): sent
    once per invoice, at the address the counterpart declared to AADE or the ERP's ``p010``."""

    TYPE = "invoice.recipient_emailed"

    tenant_id: str
    invoice_id: int
    uid: str
    to: str
    sent_at: datetime
    notification_id: str  # the e-mail's id at the notifier (its Message-ID's left-hand side)


# --- notifications (any service → notifier) ----------------------------------------------------


class NotificationRequested(_Payload):
    """Command: send one message. ``notification_id`` is the de-duplication key: the notifier
    sends each id at most once (a redelivered command changes nothing). Templates and their
    parameters: ``contracts.notifications``."""

    TYPE = "notification.requested"

    notification_id: str = Field(min_length=8, max_length=64)
    customer_id: str | None = None  # whose message it is (the admin app lists them per user)
    channel: Literal["sms", "email"]
    template: str = Field(min_length=1, max_length=100)
    language: Literal["el", "en"] = "el"
    to: str = Field(min_length=3, max_length=254)  # E.164 mobile or an e-mail address
    params: dict[str, str] = Field(default_factory=dict)
    # Sealed parameters (``kit.secrets``, purpose ``notification.<name>``): opened only to
    # send, then wiped.
    sealed_params: dict[str, str] = Field(default_factory=dict)


EVENT_TYPES: dict[str, type[_Payload]] = {
    model.TYPE: model
    for model in (
        TokenRevoked,
        TenantProvisioned,
        InvoiceSubmitted,
        TransmissionRetryRequested,
        InvoiceTransmitted,
        InvoiceDeferred,
        InvoiceRejected,
        NotificationRequested,
        InvoiceRecipientEmailed,
    )
}

# What a transmission ended as: the transmit RPC answers with one of these (in an Envelope),
# and the same event reaches invoice-service's outcome queue.
TransmissionOutcome = InvoiceTransmitted | InvoiceDeferred | InvoiceRejected
OUTCOME_TYPES = (InvoiceTransmitted.TYPE, InvoiceDeferred.TYPE, InvoiceRejected.TYPE)


def payload_model(event_type: str) -> type[_Payload]:
    return EVENT_TYPES[event_type]


def envelope_of(payload: _Payload, tenant_id: str | None = None) -> Envelope:
    """The envelope carrying ``payload``, routed by the payload's own ``TYPE``."""
    return Envelope(type=payload.TYPE, tenant_id=tenant_id, payload=payload.model_dump(mode="json"))


def outcome_of(envelope: Envelope) -> TransmissionOutcome:
    """The transmission outcome an envelope carries; ``ValueError`` for anything else."""
    if envelope.type not in OUTCOME_TYPES:
        raise ValueError(f"{envelope.type!r} is not a transmission outcome")
    model = payload_model(envelope.type)
    outcome = model.model_validate(envelope.payload)
    assert isinstance(outcome, InvoiceTransmitted | InvoiceDeferred | InvoiceRejected)
    return outcome
