"""From a platform event (an ``Envelope`` on RabbitMQ) to the body a receiver gets.

``{"id", "type", "created_at", "data"}``: ``id`` is the envelope's ``message_id``, the same on
every retry and resend of the event (receivers de-duplicate on it), ``created_at`` when the
platform's event happened. ``data`` holds the public fields only (never the XML exchanged with
myDATA, nor internal reasons that name our own hosts). The body is serialised once, when the
delivery is recorded, and sent byte for byte on every attempt.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from contracts.envelope import Envelope
from contracts.events import InvoiceDeferred, InvoiceRejected, InvoiceTransmitted
from contracts.webhooks import RECIPIENT_EMAILED, TEST_EVENT

# Per event type, the payload fields a receiver gets (missing ones are left out).
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    InvoiceTransmitted.TYPE: (
        "uid", "invoice_id", "mark", "authentication_code", "qr_url", "temporary_code",
    ),
    InvoiceDeferred.TYPE: ("uid", "invoice_id", "temporary_code", "attempts", "next_attempt_at"),
    InvoiceRejected.TYPE: ("uid", "invoice_id", "temporary_code", "errors"),
    RECIPIENT_EMAILED: ("uid", "invoice_id", "to", "sent_at", "notification_id"),
}  # fmt: skip


class UnknownEvent(ValueError):
    """An event this service does not deliver, or one without its tenant."""


def public_data(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    fields = PUBLIC_FIELDS.get(event_type)
    if fields is None:
        raise UnknownEvent(f"not a webhook event: {event_type!r}")
    return {name: payload[name] for name in fields if name in payload}


def tenant_of(envelope: Envelope) -> str:
    tenant = envelope.tenant_id or envelope.payload.get("tenant_id")
    if not isinstance(tenant, str) or not tenant:
        raise UnknownEvent(f"{envelope.type} {envelope.message_id} names no tenant")
    return tenant


def body_of(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    document = {
        "id": event_id,
        "type": event_type,
        "created_at": created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def delivery_body(envelope: Envelope) -> str:
    return body_of(
        envelope.message_id,
        envelope.type,
        envelope.occurred_at,
        public_data(envelope.type, envelope.payload),
    )


def probe_body() -> tuple[str, str]:
    """A ``webhook.test`` event (the portal's "send test event"): its id and body."""
    event_id = uuid.uuid4().hex
    data = {"message": "A test event from the e-invoicing portal."}
    return event_id, body_of(event_id, TEST_EVENT, datetime.now(UTC), data)
