"""Cross-service contracts, declared once: the message envelope, every payload (``events``),
shared queues (``queues``), internal HTTP headers and paths (``http``), tenant placement
(``tenants``). Services import these; no service declares its own copy of another's contract."""

from contracts.envelope import Envelope
from contracts.events import (
    EVENT_TYPES,
    OUTCOME_TYPES,
    InvoiceDeferred,
    InvoiceRejected,
    InvoiceSubmitted,
    InvoiceTransmitted,
    TenantProvisioned,
    TokenRevoked,
    TransmissionOutcome,
    TransmissionRetryRequested,
    envelope_of,
    outcome_of,
    payload_model,
)

__all__ = [
    "EVENT_TYPES",
    "OUTCOME_TYPES",
    "Envelope",
    "InvoiceDeferred",
    "InvoiceRejected",
    "InvoiceSubmitted",
    "InvoiceTransmitted",
    "TenantProvisioned",
    "TokenRevoked",
    "TransmissionOutcome",
    "TransmissionRetryRequested",
    "envelope_of",
    "outcome_of",
    "payload_model",
]
