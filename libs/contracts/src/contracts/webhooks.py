"""Webhooks (issue 10, item 4): the customer's HTTPS endpoints, the events they choose, and the
webhooks service's internal API that portal-web calls for one customer (a token bound to the
tenant and ``X-Tenant-Id``, like invoice-service's portal API).

What a receiver gets is documented in README's "Webhooks" section: a JSON body
``{"id", "type", "created_at", "data"}`` with the headers ``Webhook-Id``, ``Webhook-Timestamp``
and ``Webhook-Signature`` (``v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``, one per valid
secret while a rotation runs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from contracts.events import (
    InvoiceDeferred,
    InvoiceRecipientEmailed,
    InvoiceRejected,
    InvoiceTransmitted,
)

# The notifier's "the invoice was e-mailed to its recipient" event.
RECIPIENT_EMAILED = InvoiceRecipientEmailed.TYPE

# What a customer may subscribe an endpoint to, in the order the portal lists them.
SUBSCRIBABLE_EVENTS: tuple[str, ...] = (
    InvoiceTransmitted.TYPE,
    InvoiceDeferred.TYPE,
    InvoiceRejected.TYPE,
    RECIPIENT_EMAILED,
)
# Sent only by the portal's "send test event" button, to one endpoint, whatever it chose.
TEST_EVENT = "webhook.test"

WEBHOOKS_PATH = "/internal/webhooks"
ENDPOINTS_PATH = WEBHOOKS_PATH + "/endpoints"  # /{id}, /{id}/secrets, /{id}/deliveries, …
DELIVERIES_PATH = WEBHOOKS_PATH + "/deliveries"  # /{id}, /{id}/resend

# A Literal must spell its values for type checkers and the OpenAPI enum; the check below keeps
# them the payloads' own TYPEs, so a renamed event fails at import instead of drifting.
EventType = Literal[
    "invoice.transmitted", "invoice.deferred", "invoice.rejected", "invoice.recipient_emailed"
]
if get_args(EventType) != SUBSCRIBABLE_EVENTS:
    raise ImportError(
        f"contracts.webhooks.EventType {get_args(EventType)} != {SUBSCRIBABLE_EVENTS}"
    )
DeliveryState = Literal["pending", "sending", "delivered", "failed"]
# Why an endpoint cannot be saved; the portal words each one in the visitor's language.
EndpointProblem = Literal[
    "url_invalid",  # not a URL with a host
    "url_scheme",  # not https (http only where the environment allows it)
    "url_userinfo",  # user:password@ in the URL
    "url_private",  # a private, loopback or link-local address where those are refused
    "url_too_long",
    "events_empty",
    "too_many_endpoints",
]

MAX_URL_LENGTH = 2000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewEndpoint(_Strict):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    events: list[EventType] = Field(max_length=len(SUBSCRIBABLE_EVENTS))
    description: str = Field(default="", max_length=200)


class EndpointChange(_Strict):
    """Enable or disable an endpoint, or change the events it receives."""

    active: bool | None = None
    events: list[EventType] | None = Field(default=None, max_length=len(SUBSCRIBABLE_EVENTS))


class SecretInfo(BaseModel):
    """A signing secret as the portal lists it: never the secret, only its last characters."""

    id: int
    hint: str
    created_at: datetime
    expires_at: datetime | None  # set while a rotation runs: the old secret's end


class EndpointView(BaseModel):
    id: int
    url: str
    description: str
    events: list[EventType]
    active: bool
    disabled_reason: str | None
    created_at: datetime
    secrets: list[SecretInfo]  # the valid ones, newest first (two during a rotation)
    pending: int = 0  # deliveries waiting for a (next) attempt
    failed: int = 0  # deliveries given up


class SecretIssued(BaseModel):
    """The endpoint and its new secret, shown to the customer once (only its hint is kept
    readable)."""

    endpoint: EndpointView
    secret: str


class DeliveryView(BaseModel):
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    state: DeliveryState
    attempts: int
    resends: int
    last_status: int | None  # the receiver's last HTTP status (None: no answer)
    last_error: str | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryView]
    next_before: int | None  # pass as ``before`` for the next (older) page


class AttemptView(BaseModel):
    number: int
    trigger: str  # first, retry, resend, recovered
    started_at: datetime
    duration_ms: int | None
    status_code: int | None
    outcome: str  # delivered, retry, failed, recovered
    error: str | None
    response_excerpt: str | None


class DeliveryDetails(BaseModel):
    delivery: DeliveryView
    body: str  # the exact JSON body every attempt sends
    attempts: list[AttemptView]
