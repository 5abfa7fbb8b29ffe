"""The SMTP side: aiosmtpd's protocol served by the app's own event loop, so the page and the
SMTP handler share one in-memory list without locks or threads.

Faults act after the message data (the "." line), where a real server's answer decides whether
the client knows the message was taken: a 451/550 keeps nothing, ``drop_after_data`` and
``hang_after_data`` keep the message and leave the client without an answer (its ``unknown``).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from devmail.faults import Faults, SmtpFault
from devmail.state import Received, ReceivedAttachment, ReceivedEmail, now

log = logging.getLogger("devmail.smtp")

ACCEPTED = "250 2.0.0 Message accepted for delivery"
TEMPORARY = "451 4.3.0 Temporary local problem, try again later"
PERMANENT = "550 5.7.1 Message refused"
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def parse_email(seq: int, mail_from: str, rcpt_tos: list[str], raw: bytes) -> ReceivedEmail:
    """The parts the page and the tests look at (headers decoded, the first text part, each
    attachment with its bytes)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return ReceivedEmail(
        seq=seq,
        received_at=now(),
        mail_from=mail_from,
        rcpt_tos=list(rcpt_tos),
        message_id=str(message.get("Message-ID", "")).strip(),
        subject=str(message.get("Subject", "")),
        text=str(text).rstrip(),
        size=len(raw),
        language=str(message.get("Content-Language", "")),
        attachments=_attachments(message),
    )


def _attachments(message: EmailMessage) -> list[ReceivedAttachment]:
    found = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        found.append(
            ReceivedAttachment(
                filename=part.get_filename() or "",
                content_type=part.get_content_type(),
                content=content if isinstance(content, bytes) else b"",
            )
        )
    return found


@dataclass
class MailboxHandler:
    """aiosmtpd handler: ``handle_DATA`` decides the answer after the data arrived."""

    received: Received
    faults: Faults
    hang_max_s: float

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        fault = self.faults.smtp.take()
        if fault.mode == "latency":
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.mode == "temporary_error":
            return TEMPORARY
        if fault.mode == "permanent_error":
            return PERMANENT
        self._keep(envelope)
        return await self._answer(server, fault)

    def _keep(self, envelope: Envelope) -> None:
        raw = envelope.original_content or b""
        mail_from = envelope.mail_from or ""
        kept = parse_email(self.received.next_seq(), mail_from, envelope.rcpt_tos, raw)
        self.received.add_email(kept)
        log.info("e-mail kept", extra={"message_id": kept.message_id, "to": kept.rcpt_tos})

    async def _answer(self, server: SMTP, fault: SmtpFault) -> str:
        # Not isinstance(asyncio.Transport): uvloop's transports (under uvicorn) are not one.
        abort = getattr(server.transport, "abort", None)
        if fault.mode == "drop_after_data" and callable(abort):
            # abort, not close: nothing more may reach the client, not even the 250 below.
            abort()
        elif fault.mode == "hang_after_data":
            await asyncio.sleep(self.hang_max_s)
        return ACCEPTED


async def start_smtp(handler: MailboxHandler, host: str, port: int) -> asyncio.Server:
    """Listen for SMTP on ``host:port`` (0: any free port) in the running loop."""
    loop = asyncio.get_running_loop()

    def protocol() -> Any:
        return SMTP(
            handler,
            hostname="devmail.local",
            data_size_limit=MAX_MESSAGE_BYTES,
            enable_SMTPUTF8=True,
            loop=loop,
        )

    return await loop.create_server(protocol, host=host, port=port)


def bound_port(server: asyncio.Server) -> int:
    port: int = server.sockets[0].getsockname()[1]
    return port
