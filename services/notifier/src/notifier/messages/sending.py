"""Sending one message: claim it, render it, hand it to SMTP or the SMS provider, record what
happened.

Units of work: an attempt spans a network call, so this is a workflow that commits its own
steps with ``kit.db.workflow_step`` (the one exception ``kit.db`` names): (1) the claim, so the
lease protects the message during the call; (2) the hand-over, the moment before the point of no
return (the SMTP data, the SMS request) — a crash after it leaves the message ``unknown``, never
sent again blindly; (3) the outcome with its attempt row. Secrets are opened in memory only for
the call and are wiped from the row by the outcome that makes them useless (sent, failed).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from kit.db import is_database_unavailable, workflow_step
from kit.secrets import Keyring, SealError
from notifications import secret_purpose
from notifier.channels.email import Attachment, OutgoingEmail, SmtpMailer
from notifier.channels.outcome import LeaseLost, SendOutcome, describe
from notifier.channels.sms import OutgoingSms, SmsProvider
from notifier.lifecycle import keeps_secrets
from notifier.messages import repository as repo
from notifier.metrics import SENDS
from notifier.rendering import Renderer
from notifier.settings import NotifierSettings

log = logging.getLogger("notifier.sending")
RECORD_RETRY_S = 0.5
# Called in the transaction that records a message as sent (or delivered), with its row: an
# invoice e-mail announces itself there (notifier.recipients), so the event exists if and only
# if the outcome was committed.
OnSent = Callable[[AsyncConnection, Row[Any]], Awaitable[None]]


@dataclass
class Attempt:
    """One attempt in flight: the claimed row and whether it passed its point of no return."""

    row: Row[Any]
    started_at: datetime
    handed_over: bool = False


class Sender:
    def __init__(
        self,
        engine: AsyncEngine,
        settings: NotifierSettings,
        renderer: Renderer,
        mailer: SmtpMailer,
        sms: SmsProvider,
        keyring: Keyring,
        on_sent: OnSent | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._renderer = renderer
        self._mailer = mailer
        self._sms_provider = sms
        self._keyring = keyring
        self._on_sent = on_sent
        self._in_flight: set[asyncio.Task[Row[Any] | None]] = set()

    async def send(self, message_pk: int, *, due_only: bool = False) -> Row[Any] | None:
        """One attempt at a pending message; the row afterwards, or None when it was not
        pending (someone else has it, or it is final).

        The attempt runs in its own task, shielded from its caller: a consumer or sweep stopped
        mid-attempt (a graceful shutdown) does not cut an SMTP conversation after its data,
        which would leave the message unknown for no reason (``drain`` waits for it)."""
        task = asyncio.create_task(self._send(message_pk, due_only))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await asyncio.shield(task)

    async def drain(self) -> None:
        """Wait for the attempts in flight; each ends within its deadline."""
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self.settings.attempt_deadline_s + 1)

    async def _send(self, message_pk: int, due_only: bool) -> Row[Any] | None:
        token = uuid.uuid4().hex
        async with workflow_step(self.engine) as conn:
            row = await repo.claim(
                conn, message_pk, self.settings.lease_s, token, due_only=due_only
            )
        if row is None:
            return None
        attempt = Attempt(row, datetime.now(UTC))
        outcome = await self._attempt(attempt)
        SENDS.labels(row.channel, outcome.kind).inc()
        return await self._record(attempt, outcome)

    async def _attempt(self, attempt: Attempt) -> SendOutcome:
        try:
            async with asyncio.timeout(self.settings.attempt_deadline_s):
                return await self._deliver(attempt)
        except LeaseLost:
            return SendOutcome.retry("lease lost before the point of no return; not sent")
        except TimeoutError:
            return _cut(attempt, f"attempt cut at {self.settings.attempt_deadline_s:.0f} s")
        except Exception as exc:  # never leave a message in flight until its lease expires
            log.exception("send attempt failed unexpectedly", extra={"pk": attempt.row.id})
            return _cut(attempt, f"internal error: {describe(exc)}")

    async def _deliver(self, attempt: Attempt) -> SendOutcome:
        row = attempt.row
        try:
            values = self._values(row)
        except SealError as exc:
            return SendOutcome.failed(f"a sealed parameter cannot be opened: {exc}")

        async def hand_over() -> None:
            async with workflow_step(self.engine) as conn:
                if not await repo.mark_handed_over(conn, row):
                    raise LeaseLost()
            attempt.handed_over = True

        if row.channel == "email":
            mail = self._email(row, values, await self._attachments(row))
            return await self._mailer.send(mail, hand_over)
        return await self._sms_provider.send(self._sms(row, values), hand_over)

    async def _attachments(self, row: Row[Any]) -> tuple[Attachment, ...]:
        """The files stored with the message before its first attempt: the same bytes each
        time. A content already wiped means the message was sent: never send it without."""
        async with self.engine.connect() as conn:
            files = await repo.attachments_of(conn, row.id)
        if any(f.content is None for f in files):
            raise RuntimeError("an attachment's content is gone: the message was already sent")
        return tuple(Attachment(f.filename, f.content_type, bytes(f.content)) for f in files)

    def _values(self, row: Row[Any]) -> dict[str, str]:
        opened = {
            name: self._keyring.open(sealed, secret_purpose(name))
            for name, sealed in (row.sealed_params or {}).items()
        }
        return {**row.params, **opened}

    def _email(
        self, row: Row[Any], values: Mapping[str, str], files: tuple[Attachment, ...]
    ) -> OutgoingEmail:
        rendered = self._renderer.email(row.template, row.language, values)
        return OutgoingEmail(
            row.message_id, row.recipient, rendered.subject, rendered.text, row.language,
            row.created_at, files,
        )  # fmt: skip

    def _sms(self, row: Row[Any], values: Mapping[str, str]) -> OutgoingSms:
        text = self._renderer.sms(row.template, row.language, values)
        return OutgoingSms(row.provider_message_id, row.recipient, text, row.notification_id)

    async def _record(self, attempt: Attempt, outcome: SendOutcome) -> Row[Any] | None:
        """Record the outcome, retrying while the database is away for as long as the lease
        runs: an answer we got must not turn into an unknown because of a database blip."""
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + self.settings.lease_s
        while True:
            try:
                return await self._record_once(attempt, outcome)
            except Exception as exc:
                if not is_database_unavailable(exc) or loop.time() > give_up_at:
                    raise
                log.warning("recording an outcome waits for the database: %s", exc)
            await asyncio.sleep(RECORD_RETRY_S)

    async def _record_once(self, attempt: Attempt, outcome: SendOutcome) -> Row[Any] | None:
        row = attempt.row
        values = self._outcome_values(row, outcome)
        async with workflow_step(self.engine) as conn:
            await repo.record_attempt(
                conn, row.id, row.attempts, attempt.started_at,
                handed_over=attempt.handed_over, outcome=outcome.kind, detail=outcome.detail,
            )  # fmt: skip
            recorded = await repo.finish_attempt(conn, row, values)
            if recorded is None:
                # The provider's report overtook this outcome (or on-call stepped in).
                log.info("attempt outcome superseded", extra={"pk": row.id})
                return await repo.get(conn, row.id)
            if recorded.state in ("sent", "delivered"):
                await self._sent(conn, recorded)
        return recorded

    async def _sent(self, conn: AsyncConnection, row: Row[Any]) -> None:
        await repo.wipe_attachments(conn, row.id)
        if self._on_sent is not None:
            await self._on_sent(conn, row)

    def _outcome_values(self, row: Row[Any], outcome: SendOutcome) -> dict[str, Any]:
        state = _state_after(outcome)
        if state == "pending" and row.attempts >= self.settings.max_attempts:
            state, detail = "failed", f"gave up after {row.attempts} attempts: {outcome.detail}"
        else:
            detail = outcome.detail
        values: dict[str, Any] = {"state": state, "next_attempt_at": None}
        values["last_error"] = None if state in ("sent", "delivered") else detail
        if state == "pending":
            values["next_attempt_at"] = repo.after(self.settings.backoff_for(row.attempts))
        if state == "unknown" and row.channel == "sms":
            values["next_attempt_at"] = repo.after(self.settings.status_check_after(0))
        if state in ("sent", "delivered"):
            values["sent_at"] = func.now()
        if state == "delivered":
            values["delivered_at"] = func.now()
        if not keeps_secrets(state):
            values["sealed_params"] = None
        return values


def _state_after(outcome: SendOutcome) -> str:
    if outcome.kind == "accepted":
        return "delivered" if outcome.delivered else "sent"
    return {"retry": "pending", "failed": "failed", "unknown": "unknown"}[outcome.kind]


def _cut(attempt: Attempt, why: str) -> SendOutcome:
    """An attempt that ended without an answer: harmless before the hand-over, unknown after."""
    if attempt.handed_over:
        return SendOutcome.unknown(f"{why}, after the message was handed over")
    return SendOutcome.retry(why)
