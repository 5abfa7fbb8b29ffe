"""Notifications (SPEC NOTE-1): what a service asks the notifier to send, and what it can ask
back. The command travels through the sender's outbox (``notification.requested``), so it is
sent if and only if the change that asked for it was committed.

The command is ``contracts.events.NotificationRequested``. A secret parameter (a first password)
never travels or rests in clear: the sender seals it (``kit.secrets``, purpose
``notification.<param>``), the notifier opens it only to send, then wipes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

Channel = Literal["sms", "email"]
Language = Literal["el", "en"]
MessageState = Literal["pending", "sending", "sent", "delivered", "failed", "unknown"]

# Templates the notifier renders, Greek and English (its own templates/ folder).
#   account.password   SMS: the first (or a new) password                 params: password*
#   account.username   e-mail: the username and the contract serial      params: username, serial
#   invoice.recipient  e-mail: a transmitted invoice to its recipient, the PDF attached (API-10);
#                      the notifier makes it itself from ``invoice.transmitted``, no producer does
#   notice.receipt     e-mail: the receipts of connection-loss notices   params: received_at,
#                      receipts (one line each), count
Template = Literal["account.password", "account.username", "invoice.recipient", "notice.receipt"]

# GET ?customer_id=… (a user's own messages) or ?tenant_id=…[&uid=…] (a customer's invoice
# e-mails, of one invoice); /{notification_id}
NOTIFICATIONS_PATH = "/internal/notifications"


class NotificationView(BaseModel):
    """A message as the admin app shows it (no secret, ever)."""

    notification_id: str
    customer_id: str | None
    channel: Channel
    template: Template
    language: Language
    to: str
    state: MessageState
    attempts: int
    parts: int | None = None  # SMS parts (GSM-7: 160/153, UCS-2: 70/67 characters)
    encoding: Literal["GSM-7", "UCS-2"] | None = None
    provider_message_id: str | None = None
    last_error: str | None = None
    created_at: datetime
    updated_at: datetime
    # An invoice e-mail: the customer (tenant) whose invoice it carries and the invoice's uid.
    tenant_id: str | None = None
    uid: str | None = None
    sent_at: datetime | None = None  # when the server or gateway took it


# --- the invoice e-mailed to its recipient (SPEC API-10) --------------------------------------

# GET ?tenant_id=… → list[InvoiceEmailView], newest first (``state`` filters);
# /{tenant_id}/{uid} → one InvoiceEmailView (404: no transmission seen yet); POST …/retry
INVOICE_EMAILS_PATH = "/internal/invoice-emails"

# pending: being prepared or sent; sent: the recipient's server took it; skipped: nothing to send
# (``reason``); failed: it will not go out by itself (``detail``); unknown: the server may have
# taken it (no answer to the data), on-call decides (docs/runbooks/notifications.md).
InvoiceEmailState = Literal["pending", "sent", "skipped", "failed", "unknown"]
# Why nothing was sent: the counterpart declared no address to AADE (or its VAT number cannot
# have one: foreign, invalid) and einv00 named no alternative that p01 allows; or the invoice
# names no counterpart at all (a retail receipt) and no alternative either.
SkipReason = Literal["no_declared_address", "no_counterpart"]
# Where the address came from: the counterpart's declaration to AADE, or einv00's p010.
AddressSource = Literal["declared", "alternative"]


def invoice_email_path(tenant_id: str, uid: str, tail: str = "") -> str:
    return f"{INVOICE_EMAILS_PATH}/{tenant_id}/{uid}{tail}"


class InvoiceEmailView(BaseModel):
    """What became of one transmitted invoice's e-mail: where, when, or why not."""

    tenant_id: str
    uid: str
    invoice_id: int
    state: InvoiceEmailState
    to: str | None = None
    source: AddressSource | None = None
    language: Language | None = None
    reason: SkipReason | None = None
    detail: str | None = None  # the last problem (retried or final), for on-call
    notification_id: str | None = None
    sent_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
