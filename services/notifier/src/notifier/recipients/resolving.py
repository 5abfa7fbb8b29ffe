"""Turning one transmitted invoice into its e-mail: the ERP body's ``einv00`` and counterpart
(invoice-service), the address the counterpart declared to AADE (mydata-sync), the chosen
language, the PDF as the portal prints it (portal-web); then ONE message per invoice, its PDF
stored with it, sent by ``messages.sending`` like any other.

A workflow that commits its own steps (``kit.db.workflow_step``): (1) the claim with a lease,
(2) the calls, outside any transaction, (3) the outcome in one transaction conditioned on the
lease: the message (notification id made from tenant and uid, so two workers can only ever make
the same one) with its attachment and the row ``queued``; or ``skipped``; or ``failed``; or the
row left resolving with its next try. A worker that lost its lease commits nothing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.events import NotificationRequested
from contracts.notifications import Language, SkipReason
from contracts.portal import InvoicePdf
from kit.db import workflow_step
from notifier.channels.email import Attachment
from notifier.channels.outcome import describe
from notifier.messages.sending import Sender
from notifier.messages.service import InvalidCommand, MessageService
from notifier.metrics import RESOLUTIONS
from notifier.recipients import repository as repo
from notifier.recipients.rules import Address, choose_address, choose_language, delivery_of
from notifier.recipients.sources import (
    InvoiceGone,
    InvoiceSources,
    SourceUnavailable,
    decoded_pdf,
)
from notifier.settings import NotifierSettings

log = logging.getLogger("notifier.recipients")
TEMPLATE = "invoice.recipient"
# Fixed for ever: the notification id of an invoice's e-mail is uuid5(this, "tenant/uid").
NAMESPACE = uuid.UUID("6f1f9f55-2d35-4c59-9f57-4a8e0c7e2b10")


def notification_id_of(tenant_id: str, uid: str) -> str:
    return uuid.uuid5(NAMESPACE, f"{tenant_id}/{uid}").hex


@dataclass(frozen=True, slots=True)
class Send:
    address: Address
    language: Language
    found: InvoicePdf
    pdf: bytes


@dataclass(frozen=True, slots=True)
class Skip:
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class Later:
    detail: str


@dataclass(frozen=True, slots=True)
class Fail:
    detail: str


Outcome = Send | Skip | Later | Fail


class LeaseLost(Exception):
    """Another worker took the row over: this one's outcome is rolled back."""


class Resolver:
    def __init__(
        self,
        engine: AsyncEngine,
        settings: NotifierSettings,
        sources: InvoiceSources,
        messages: MessageService,
        sender: Sender,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._sources = sources
        self._messages = messages
        self._sender = sender
        self._in_flight: set[asyncio.Task[None]] = set()
        # Each resolution costs portal-web a PDF render: a burst of invoices must not take every
        # render slot its visitors need. Taken before the claim, so no lease runs while waiting.
        self._slots = asyncio.Semaphore(settings.invoice_concurrency)

    async def resolve(self, pk: int, *, due_only: bool = False) -> None:
        """One attempt at a recorded invoice, in its own task shielded from the caller (a
        consumer stopped at shutdown does not cut it; ``drain`` waits for it)."""
        task = asyncio.create_task(self._resolve(pk, due_only))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        await asyncio.shield(task)

    async def drain(self) -> None:
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self.settings.attempt_deadline_s + 1)

    async def _resolve(self, pk: int, due_only: bool) -> None:
        async with self._slots:
            message_pk = await self._resolve_one(pk, due_only)
        if message_pk is not None:
            await self._sender.send(message_pk)

    async def _resolve_one(self, pk: int, due_only: bool) -> int | None:
        """The message recorded for the invoice now, if this attempt recorded one."""
        token = uuid.uuid4().hex
        async with workflow_step(self.engine) as conn:
            row = await repo.claim(conn, pk, self.settings.lease_s, token, due_only=due_only)
        if row is None:
            return None
        outcome = await self._outcome(row)
        RESOLUTIONS.labels(_kind(outcome)).inc()
        try:
            return await self._record(row, outcome)
        except InvalidCommand as exc:  # a template and its parameters disagree: our bug
            return await self._record(row, Fail(f"cannot be sent: {exc}"))
        except LeaseLost:
            log.info("invoice e-mail resolved by another worker", extra={"pk": pk})
            return None

    async def _outcome(self, row: Row[Any]) -> Outcome:
        try:
            async with asyncio.timeout(self.settings.attempt_deadline_s):
                return await self._prepare(row)
        except SourceUnavailable as exc:
            return Later(str(exc)[:500])
        except TimeoutError:
            return Later(f"cut at {self.settings.attempt_deadline_s:.0f} s")
        except InvoiceGone as exc:
            return Fail(str(exc)[:500])
        except Exception as exc:  # never leave the row leased until its lease runs out
            log.exception("invoice e-mail resolution failed", extra={"pk": row.id})
            return Later(f"internal error: {describe(exc)}")

    def skip_at_once(self, options: dict[str, Any] | None) -> SkipReason | None:
        """Why an invoice's e-mail can be skipped on arrival, without a claim or a call: its
        options (carried by the event) and the counterpart's cached declarations say nothing
        will be sent. None when that takes a look-up, or when something may be sent."""
        if options is None:
            return None
        delivery = delivery_of(options)
        vat = delivery.counterpart_vat
        declared = self._sources.declared_if_known(vat) if vat else []
        if declared is None:
            return None
        return choose_address(delivery, declared).reason

    async def _prepare(self, row: Row[Any]) -> Outcome:
        body = row.options
        if body is None:  # an event from before outcomes carried the options
            body = await self._sources.erp_body(row.tenant_id, row.uid)
        delivery = delivery_of(body)
        vat = delivery.counterpart_vat
        declared = await self._sources.declared_emails(vat) if vat else []
        address = choose_address(delivery, declared)
        if address.to is None:
            assert address.reason is not None
            return Skip(address.reason)
        language = choose_language(delivery)
        found = await self._sources.pdf(row.tenant_id, row.uid, language)
        _check_transmitted(row, found)
        return Send(address, language, found, decoded_pdf(found))

    async def _record(self, row: Row[Any], outcome: Outcome) -> int | None:
        message_pk: int | None = None
        async with workflow_step(self.engine) as conn:
            if isinstance(outcome, Send):
                message_pk, values = await self._queue(conn, row, outcome)
            else:
                values = _values(row, outcome, self.settings)
            if not await repo.finish(conn, row, values):
                raise LeaseLost()  # rolls the message back: the other worker records it
        return message_pk

    async def _queue(
        self, conn: AsyncConnection, row: Row[Any], send: Send
    ) -> tuple[int | None, dict[str, Any]]:
        nid = notification_id_of(row.tenant_id, row.uid)
        to = send.address.to
        assert to is not None
        command = NotificationRequested(
            notification_id=nid, channel="email", template=TEMPLATE, language=send.language,
            to=to, params=self._params(send.found),
        )  # fmt: skip
        attachment = Attachment(send.found.filename, "application/pdf", send.pdf)
        message_pk = await self._messages.record_with_attachment(
            conn, command, (row.tenant_id, row.uid), attachment
        )
        values = {"state": "queued", "notification_id": nid, "recipient": to,
                  "source": send.address.source, "language": send.language, "detail": None,
                  "next_attempt_at": None}  # fmt: skip
        return message_pk, values

    def _params(self, found: InvoicePdf) -> dict[str, str]:
        query = urlencode({"auth_code": found.authentication_code})
        return {
            "issuer": found.issuer_name, "series": found.series, "number": found.number,
            "date": found.issue_date, "total": found.total, "mark": found.mark,
            "authentication_code": found.authentication_code,
            "link": f"{self.settings.portal_public_url.rstrip('/')}/search?{query}",
        }  # fmt: skip


def _check_transmitted(row: Row[Any], found: InvoicePdf) -> None:
    """The PDF must print the MARK and string myDATA gave: invoice-service applies the same
    event in parallel, and until it has, the portal still prints the temporary state."""
    code = row.authentication_code
    if found.mark != row.mark or (code and found.authentication_code.lower() != code.lower()):
        raise SourceUnavailable(
            f"the invoice is not shown transmitted yet (MARK {found.mark or '-'}, "
            f"expected {row.mark})"
        )


def _values(
    row: Row[Any], outcome: Skip | Later | Fail, settings: NotifierSettings
) -> dict[str, Any]:
    if isinstance(outcome, Skip):
        return {"state": "skipped", "reason": outcome.reason, "detail": None,
                "next_attempt_at": None}  # fmt: skip
    if isinstance(outcome, Fail):
        return {"state": "failed", "detail": outcome.detail, "next_attempt_at": None}
    # Never given up: the event is only ever late (the last back-off repeats).
    return {"detail": outcome.detail,
            "next_attempt_at": repo.after(settings.backoff_for(row.attempts))}  # fmt: skip


def _kind(outcome: Outcome) -> str:
    return {Send: "queued", Skip: "skipped", Later: "retry", Fail: "failed"}[type(outcome)]
