"""Recording requested messages, on-call's views and deliberate resend.

Units of work: the caller owns the transaction (the command consumer, the internal API's
request, the CLI) and passes the connection; nothing here commits. The sending workflow is
``messages.sending``; the look-ups of unknown SMS ``messages.reconcile``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import NotificationRequested
from contracts.notifications import NotificationView
from kit.errors import Conflict, NotFound
from kit.secrets import Keyring, SealError
from notifications import e164_mobile, secret_purpose, sms_shape
from notifier.channels.email import Attachment
from notifier.messages import repository as repo
from notifier.messages.schemas import AttachmentView, AttemptView, MessageDetails, view_of
from notifier.rendering import TEMPLATES, Renderer, problem_with
from notifier.settings import NotifierSettings


class InvalidCommand(ValueError):
    """A command that can never be sent (unknown template, a secret unsealed, …)."""


def _email_address_problem(address: str) -> str | None:
    local, at, domain = address.rpartition("@")
    if not (at and local and "." in domain and address.isascii() and " " not in address):
        return f"not an e-mail address this service can send to: {address!r}"
    return None


def _attachment_values(message_pk: int, attachment: Attachment) -> dict[str, Any]:
    return {
        "message_pk": message_pk, "position": 1, "filename": attachment.filename,
        "content_type": attachment.content_type, "content": attachment.content,
        "size": len(attachment.content),
        "sha256": hashlib.sha256(attachment.content).hexdigest(),
    }  # fmt: skip


def _attachment_view(row: Row[Any]) -> AttachmentView:
    return AttachmentView(
        filename=row.filename, content_type=row.content_type, size=row.size, sha256=row.sha256,
        kept=row.content is not None,
    )  # fmt: skip


class MessageService:
    def __init__(self, settings: NotifierSettings, renderer: Renderer, keyring: Keyring) -> None:
        self.settings = settings
        self._renderer = renderer
        self._keyring = keyring

    async def record(self, conn: AsyncConnection, command: NotificationRequested) -> int | None:
        """Record the command's message once per ``notification_id``: its row id, or None when
        it was already known (a redelivered or re-published command changes nothing)."""
        problem = problem_with(command)
        if problem is not None:
            raise InvalidCommand(problem)
        return await repo.insert_message(conn, self._row_values(command))

    async def record_with_attachment(
        self,
        conn: AsyncConnection,
        command: NotificationRequested,
        invoice: tuple[str, str],
        attachment: Attachment,
    ) -> int | None:
        """Record an invoice e-mail (``invoice``: its tenant and uid) once per
        ``notification_id``, with the attachment it will carry on every attempt; None when
        it was already recorded (the attachment then stays as first stored)."""
        problem = problem_with(command)
        if problem is not None:
            raise InvalidCommand(problem)
        tenant_id, uid = invoice
        values = self._row_values(command) | {"tenant_id": tenant_id, "invoice_uid": uid}
        message_pk = await repo.insert_message(conn, values)
        if message_pk is not None:
            await repo.insert_attachment(conn, _attachment_values(message_pk, attachment))
        return message_pk

    def _row_values(self, command: NotificationRequested) -> dict[str, Any]:
        nid = command.notification_id
        values: dict[str, Any] = {
            "notification_id": nid, "customer_id": command.customer_id,
            "channel": command.channel, "template": command.template,
            "language": command.language, "recipient": command.to, "params": command.params,
            "sealed_params": command.sealed_params or None, "next_attempt_at": func.now(),
        }  # fmt: skip
        if command.channel == "email":
            values["message_id"] = f"<{nid}@{self.settings.message_id_domain}>"
            problem = _email_address_problem(command.to)
        else:
            values["provider_message_id"] = nid
            problem = self._sms_fields(command, values)
        if problem is not None:
            # Recorded as failed (the admin app shows why); a secret is not kept for it.
            values.update(state="failed", last_error=problem, sealed_params=None)
        return values

    def _sms_fields(self, command: NotificationRequested, values: dict[str, Any]) -> str | None:
        """Fill in the number (E.164), the alphabet and the parts; a problem, or None.

        The alphabet depends on the password's own characters, so the text is rendered here,
        in memory: only its shape is stored, never the text."""
        try:
            values["recipient"] = e164_mobile(command.to)
            opened = {
                name: self._keyring.open(sealed, secret_purpose(name))
                for name, sealed in command.sealed_params.items()
            }
        except ValueError as exc:
            return str(exc)
        except SealError as exc:
            return f"a sealed parameter cannot be opened: {exc}"
        text = self._renderer.sms(command.template, command.language, command.params | opened)
        shape = sms_shape(text)
        values.update(encoding=shape.encoding, parts=shape.parts)
        return None

    # --- views ------------------------------------------------------------------------------

    async def view(self, conn: AsyncConnection, notification_id: str) -> NotificationView:
        return view_of(await self._row(conn, notification_id))

    async def for_customer(
        self, conn: AsyncConnection, customer_id: str, limit: int
    ) -> list[NotificationView]:
        return [view_of(row) for row in await repo.for_customer(conn, customer_id, limit)]

    async def for_invoices(
        self, conn: AsyncConnection, tenant_id: str, uid: str | None, limit: int
    ) -> list[NotificationView]:
        return [view_of(row) for row in await repo.for_invoices(conn, tenant_id, uid, limit)]

    async def in_states(
        self, conn: AsyncConnection, states: list[str], limit: int
    ) -> list[NotificationView]:
        return [view_of(row) for row in await repo.in_states(conn, states, limit)]

    async def details(self, conn: AsyncConnection, notification_id: str) -> MessageDetails:
        row = await self._row(conn, notification_id)
        history = await repo.attempts_of(conn, row.id)
        files = await repo.attachments_of(conn, row.id)
        return MessageDetails(
            message=view_of(row),
            message_id=row.message_id,
            resends=row.resends,
            holds_sealed_secret=bool(row.sealed_params),
            attempts=[AttemptView.model_validate(a, from_attributes=True) for a in history],
            attachments=[_attachment_view(f) for f in files],
        )

    async def _row(
        self, conn: AsyncConnection, notification_id: str, *, lock: bool = False
    ) -> Row[Any]:
        row = await repo.by_notification_id(conn, notification_id, lock=lock)
        if row is None:
            raise NotFound(f"no notification {notification_id}")
        return row

    # --- on-call's deliberate resend ------------------------------------------------------

    async def resend(
        self, conn: AsyncConnection, notification_id: str, *, force: bool
    ) -> NotificationView:
        """Send a failed message again, or an unknown one when ``force`` says on-call checked
        it did not arrive (docs/runbooks/notifications.md). ``Conflict`` otherwise."""
        row = await self._row(conn, notification_id, lock=True)
        self._check_resendable(row, force)
        values: dict[str, Any] = {
            "state": "pending", "next_attempt_at": func.now(), "attempts": 0,
            "resends": row.resends + 1, "not_found_checks": 0,
            "last_error": f"resent by on-call from {row.state}",
        }  # fmt: skip
        if row.channel == "sms":
            # A new SMS provider id: the old one may still be reported, and must not be confused.
            values["provider_message_id"] = f"{row.notification_id}.r{row.resends + 1}"
        moved = await repo.move(conn, row.id, (row.state,), values)
        assert moved is not None  # the row is locked
        await repo.record_attempt(
            conn, row.id, row.attempts, row.updated_at, handed_over=False, outcome="resend",
            detail=f"on-call resend from {row.state}" + (" (forced)" if force else ""),
        )  # fmt: skip
        return view_of(moved)

    @staticmethod
    def _check_resendable(row: Row[Any], force: bool) -> None:
        if row.state == "unknown" and not force:
            raise Conflict(
                "the message may have arrived (state unknown): check with the recipient, then "
                "resend with force"
            )
        if row.state not in ("failed", "unknown"):
            raise Conflict(f"the message is {row.state}: only failed or unknown ones are resent")
        if TEMPLATES[row.template].secrets and not row.sealed_params:
            raise Conflict(
                "its secret was wiped when it failed: send a new message from the admin app "
                "(e.g. generate a new password and «Αποθήκευση και Αποστολή SMS»)"
            )
