"""Messages exchanged between services: the envelope and every event payload."""

from contracts.envelope import Envelope
from contracts.events import (
    EVENT_TYPES,
    TenantProvisioned,
    TokenRevoked,
    payload_model,
)

__all__ = ["EVENT_TYPES", "Envelope", "TenantProvisioned", "TokenRevoked", "payload_model"]
