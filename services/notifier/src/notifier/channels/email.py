"""E-mail through SMTP (aiosmtplib), step by step so that the point of no return is known.

A message is built once per attempt from what is stored (the same Message-ID, made from the
notification id, and the same Date on every retry). The conversation: connect, MAIL, RCPT —
a failure there is certain (4xx retry, 5xx failed, no connection retry) — then ``hand_over``,
then DATA. The server takes the message only with its answer to the final "."; a connection
lost or a timeout during DATA leaves it unknown whether it did (INTEGRATIONS.md §4).
"""

from __future__ import annotations

import contextlib
import email.policy
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib
from aiosmtplib import SMTPException, SMTPResponseException

from notifier.channels.outcome import HandOver, SendOutcome, describe
from notifier.settings import NotifierSettings


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str  # may be Greek: written as RFC 2231 parameters
    content_type: str  # "application/pdf"
    content: bytes


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    message_id: str  # "<notification id@domain>"
    to: str
    subject: str
    text: str
    language: str
    date: datetime  # the message's creation: the same bytes on every retry
    attachments: tuple[Attachment, ...] = ()


def build_message(mail_from: str, mail: OutgoingEmail) -> bytes:
    """RFC 5322 bytes: a Greek subject becomes an RFC 2047 encoded word, the body UTF-8, each
    attachment a base64 part. With attachments the MIME boundary is made from the Message-ID,
    not drawn at random, so that a retry sends the same bytes."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.date)
    message["Content-Language"] = mail.language
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(mail.text, charset="utf-8")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    if mail.attachments:
        message.set_boundary(_boundary(mail.message_id))
        # Adding a part moved the Content-* headers into the text part: say it for the whole.
        message["Content-Language"] = mail.language
    return message.as_bytes()


def _boundary(message_id: str) -> str:
    # "=_" never occurs in base64 or quoted-printable text, and the Message-ID's own characters
    # (hex and the domain) are all valid in a boundary.
    return "=_einv_" + message_id.strip("<>").replace("@", ".")


def by_reply_code(exc: SMTPResponseException, when: str) -> SendOutcome:
    """A refusal the server stated: 4xx try again later, 5xx never."""
    detail = f"{when}: {exc.code} {exc.message}"
    return SendOutcome.failed(detail) if 500 <= exc.code < 600 else SendOutcome.retry(detail)


class SmtpMailer:
    def __init__(self, settings: NotifierSettings) -> None:
        self._settings = settings
        self._sender = parseaddr(settings.mail_from)[1]

    def _client(self) -> aiosmtplib.SMTP:
        s = self._settings
        return aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            timeout=s.smtp_timeout_s,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            username=s.smtp_username or None,
            password=s.smtp_password or None,
            local_hostname=s.message_id_domain,  # not socket.getfqdn(): no DNS on every send
        )

    async def send(self, mail: OutgoingEmail, hand_over: HandOver) -> SendOutcome:
        client = self._client()
        try:
            await client.connect()
        except SMTPResponseException as exc:
            return by_reply_code(exc, "connect")
        except (SMTPException, OSError) as exc:
            return SendOutcome.retry(f"connect: {describe(exc)}")
        try:
            return await self._converse(client, mail, hand_over)
        finally:
            with contextlib.suppress(Exception):  # the message's fate is already decided
                await client.quit()

    async def _converse(
        self, client: aiosmtplib.SMTP, mail: OutgoingEmail, hand_over: HandOver
    ) -> SendOutcome:
        try:
            await client.mail(self._sender)
            await client.rcpt(mail.to)
        except SMTPResponseException as exc:
            return by_reply_code(exc, "envelope")
        except (SMTPException, OSError) as exc:
            return SendOutcome.retry(f"envelope: {describe(exc)}")
        content = build_message(self._settings.mail_from, mail)
        await hand_over()
        try:
            response = await client.data(content)
        except SMTPResponseException as exc:
            return by_reply_code(exc, "data")  # refused with a reply: certainly not taken
        except (SMTPException, OSError) as exc:
            return SendOutcome.unknown(f"no answer to the data: {describe(exc)}")
        return SendOutcome.accepted(f"{response.code} {response.message}")
