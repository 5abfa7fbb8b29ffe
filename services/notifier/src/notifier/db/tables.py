"""Tables of the notify database (owned by the notifier only).

``messages`` holds one row per ``notification_id`` (the de-duplication key: a redelivered
command finds its row and changes nothing) with its state machine
``pending → sending → sent | failed | unknown`` (``sent → delivered | failed`` from delivery
reports; ``unknown → sent | delivered | failed`` from a report or a status look-up), the lease
that keeps an attempt in one worker's hands, and ``handed_over_at``: the moment the current
attempt passed its point of no return (the SMTP data, the SMS request). ``sealed_params`` holds
secrets sealed with the platform keyring and is set to NULL once the message is sent or failed.
``attempts`` keeps every attempt; ``delivery_reports`` every report as received, unique per
(provider message id, status, part).

Invoice e-mails (SPEC API-10; docs/adr/0008-notifier.md, "Invoices e-mailed to their
recipients"): ``invoice_emails`` holds one row per (tenant, uid) from the first
``invoice.transmitted`` on — ``resolving`` while the invoice, the recipient's declared address
and the PDF are fetched, then ``queued`` (its message recorded, ``notification_id``),
``skipped`` (nothing to send, ``reason``) or ``failed`` (the invoice cannot be read). A message
carrying an invoice names it (``tenant_id``, ``invoice_uid``); its PDF is an ``attachments``
row, rendered once before the first attempt so that every retry sends the same bytes, whose
content is wiped once the message is sent (its size and SHA-256 stay). ``outbox`` holds
``invoice.recipient_emailed``, written with the outcome that says the e-mail was sent.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import BYTEA, JSONB

from kit.tables import outbox_table, timestamp

STATES = ("pending", "sending", "sent", "delivered", "failed", "unknown")
# Where a message may still change by our own doing (sending, retrying, looking it up).
OPEN_STATES = ("pending", "sending", "unknown")
FINAL_STATES = ("delivered", "failed")

metadata = MetaData()


messages = Table(
    "messages",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("notification_id", Text, nullable=False),
    Column("customer_id", Text, nullable=True),
    Column("channel", Text, nullable=False),
    Column("template", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("params", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    # none_as_null: a wiped secret is SQL NULL, not the JSON value null.
    Column("sealed_params", JSONB(none_as_null=True), nullable=True),
    Column("state", Text, nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    # E-mail: the Message-ID, made from the notification id before the first attempt.
    Column("message_id", Text, nullable=True),
    # SMS: the id we give the SMS provider (Infobip's client-chosen messageId).
    Column("provider_message_id", Text, nullable=True),
    Column("encoding", Text, nullable=True),
    Column("parts", Integer, nullable=True),
    Column("lease_token", Text, nullable=True),
    timestamp("lease_until"),
    timestamp("handed_over_at"),
    timestamp("next_attempt_at"),
    # Status look-ups of an unknown SMS that found no such message.
    Column("not_found_checks", Integer, nullable=False, server_default=text("0")),
    Column("status_checks", Integer, nullable=False, server_default=text("0")),
    # Deliberate resends by on-call (docs/runbooks/notifications.md).
    Column("resends", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    timestamp("sent_at"),
    timestamp("delivered_at"),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    UniqueConstraint("notification_id", name="messages_notification_id"),
    UniqueConstraint("provider_message_id", name="messages_provider_message_id"),
    CheckConstraint(
        "state IN ('pending','sending','sent','delivered','failed','unknown')",
        name="messages_state",
    ),
    CheckConstraint("channel IN ('sms','email')", name="messages_channel"),
    Index(
        "messages_due", "next_attempt_at", postgresql_where=text("state IN ('pending','unknown')")
    ),
    Index("messages_leased", "lease_until", postgresql_where=text("state = 'sending'")),
    Index("messages_customer", "customer_id", "id"),
    # An invoice e-mail: whose invoice it carries (SPEC API-10).
    Column("tenant_id", Text, nullable=True),
    Column("invoice_uid", Text, nullable=True),
    Index(
        "messages_invoice",
        "tenant_id",
        "invoice_uid",
        "id",
        postgresql_where=text("tenant_id IS NOT NULL"),
    ),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "message_pk",
        BigInteger,
        ForeignKey("messages.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("number", Integer, nullable=False),
    timestamp("started_at", nullable=False),
    timestamp("finished_at", nullable=False, default=True),
    Column("handed_over", Boolean, nullable=False),
    # accepted, retry, failed, unknown, recovered (a crashed worker's attempt), resend.
    Column("outcome", Text, nullable=False),
    Column("detail", Text, nullable=True),
)

delivery_reports = Table(
    "delivery_reports",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("provider_message_id", Text, nullable=False),
    # The provider's status group (PENDING, DELIVERED, UNDELIVERABLE, EXPIRED, REJECTED).
    Column("status", Text, nullable=False),
    # 0: the whole message; n ≥ 1: part n of a multi-part message, for SMS providers that say so.
    Column("part", Integer, nullable=False, server_default=text("0")),
    Column("raw", JSONB, nullable=False),
    Column("applied", Boolean, nullable=False, server_default=text("false")),
    timestamp("received_at", nullable=False, default=True),
    UniqueConstraint("provider_message_id", "status", "part", name="delivery_reports_once"),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "message_pk",
        BigInteger,
        ForeignKey("messages.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("filename", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    # NULL once the message is sent: nothing will send it again (size and sha256 remain).
    Column("content", BYTEA, nullable=True),
    Column("size", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    UniqueConstraint("message_pk", "position", name="attachments_position"),
)

INVOICE_EMAIL_STATES = ("resolving", "queued", "skipped", "failed")

invoice_emails = Table(
    "invoice_emails",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("invoice_id", BigInteger, nullable=False),
    # From the invoice.transmitted event: the PDF must show this MARK before it is sent.
    Column("mark", Text, nullable=False),
    Column("authentication_code", Text, nullable=True),
    # The event's e-mail options as an ERP body's fields (cp_vat, cp_country, einv00); NULL
    # for events that did not carry them: then invoice-service is asked for the body.
    Column("options", JSONB(none_as_null=True), nullable=True),
    Column("state", Text, nullable=False, server_default=text("'resolving'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("lease_token", Text, nullable=True),
    timestamp("lease_until"),
    timestamp("next_attempt_at"),
    Column("reason", Text, nullable=True),  # skipped: contracts.notifications.SkipReason
    Column("detail", Text, nullable=True),  # the last problem met (retried, or why failed)
    Column("notification_id", Text, nullable=True),  # queued: its message
    Column("recipient", Text, nullable=True),
    Column("source", Text, nullable=True),  # declared | alternative
    Column("language", Text, nullable=True),
    timestamp("created_at", nullable=False, default=True),
    timestamp("updated_at", nullable=False, default=True),
    UniqueConstraint("tenant_id", "uid", name="invoice_emails_invoice"),
    CheckConstraint(
        "state IN ('resolving','queued','skipped','failed')", name="invoice_emails_state"
    ),
    Index("invoice_emails_due", "next_attempt_at", postgresql_where=text("state = 'resolving'")),
    Index("invoice_emails_tenant", "tenant_id", "id"),
)

outbox = outbox_table(metadata)
