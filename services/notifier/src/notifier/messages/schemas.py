"""Answers of the internal API beyond ``contracts.notifications.NotificationView``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Row

from contracts.notifications import NotificationView


def view_of(row: Row[Any]) -> NotificationView:
    return NotificationView(
        notification_id=row.notification_id, customer_id=row.customer_id, channel=row.channel,
        template=row.template, language=row.language, to=row.recipient, state=row.state,
        attempts=row.attempts, parts=row.parts, encoding=row.encoding,
        provider_message_id=row.provider_message_id, last_error=row.last_error,
        created_at=row.created_at, updated_at=row.updated_at, tenant_id=row.tenant_id,
        uid=row.invoice_uid, sent_at=row.sent_at,
    )  # fmt: skip


class AttemptView(BaseModel):
    number: int
    started_at: datetime
    finished_at: datetime
    handed_over: bool
    outcome: str
    detail: str | None


class AttachmentView(BaseModel):
    filename: str
    content_type: str
    size: int
    sha256: str  # what was sent, even once the content is wiped
    kept: bool  # the content is still held (the message may be sent again)


class MessageDetails(BaseModel):
    """One message for on-call: its view, every attempt, whether a secret is still held."""

    message: NotificationView
    message_id: str | None  # the e-mail's Message-ID
    resends: int
    holds_sealed_secret: bool
    attempts: list[AttemptView]
    attachments: list[AttachmentView] = []
