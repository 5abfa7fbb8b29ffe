"""What the stand-ins received, in memory, in arrival order (bounded: the oldest go first)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ReceivedAttachment:
    filename: str
    content_type: str
    content: bytes

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "content_type": self.content_type,
                "size": len(self.content)}  # fmt: skip


@dataclass(slots=True)
class ReceivedEmail:
    seq: int
    received_at: datetime
    mail_from: str
    rcpt_tos: list[str]
    message_id: str
    subject: str
    text: str
    size: int
    language: str = ""  # Content-Language
    attachments: list[ReceivedAttachment] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "received_at": self.received_at.isoformat(),
            "mail_from": self.mail_from, "rcpt_tos": self.rcpt_tos,
            "message_id": self.message_id, "subject": self.subject, "text": self.text,
            "size": self.size, "language": self.language,
            "attachments": [a.as_dict() for a in self.attachments],
        }  # fmt: skip


@dataclass(slots=True)
class AcceptedSms:
    """One message accepted by the SMS API, with the status its logs and reports show."""

    seq: int
    message_id: str
    bulk_id: str
    to: str
    sender: str
    text: str
    encoding: str
    parts: int
    callback_data: str | None
    notify_url: str | None
    accepted_at: datetime
    status: str = "PENDING"  # Infobip status group: PENDING, DELIVERED, UNDELIVERABLE
    done_at: datetime | None = None
    reports_sent: int = 0
    report_failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "message_id": self.message_id, "bulk_id": self.bulk_id,
            "to": self.to, "from": self.sender, "text": self.text, "encoding": self.encoding,
            "parts": self.parts, "callback_data": self.callback_data,
            "accepted_at": self.accepted_at.isoformat(), "status": self.status,
            "reports_sent": self.reports_sent, "report_failures": self.report_failures,
        }  # fmt: skip


class Received:
    """Every e-mail and SMS kept, each list bounded to ``keep`` entries.

    SMS are kept by arrival, not by message id: a client that sent one id twice must show up
    twice (the tests' ledgers count what arrived, never what a map kept)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.emails: OrderedDict[int, ReceivedEmail] = OrderedDict()
        self.sms: OrderedDict[int, AcceptedSms] = OrderedDict()
        self.sms_by_id: dict[str, AcceptedSms] = {}  # the latest with each message id
        self._seq = 0

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def add_email(self, email: ReceivedEmail) -> None:
        self.emails[email.seq] = email
        while len(self.emails) > self.keep:
            self.emails.popitem(last=False)

    def add_sms(self, sms: AcceptedSms) -> None:
        self.sms[sms.seq] = sms
        self.sms_by_id[sms.message_id] = sms
        while len(self.sms) > self.keep:
            _, old = self.sms.popitem(last=False)
            if self.sms_by_id.get(old.message_id) is old:
                del self.sms_by_id[old.message_id]

    def reset(self) -> None:
        self.emails.clear()
        self.sms.clear()
        self.sms_by_id.clear()
