"""Recording transmitted invoices, what became of each one's e-mail, and on-call's retry.

Units of work: the caller owns the transaction (the consumer, the internal API's request) and
passes the connection; nothing here commits. Resolving a recorded invoice into its message is
the workflow ``recipients.resolving``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import InvoiceTransmitted
from contracts.notifications import InvoiceEmailState, InvoiceEmailView, SkipReason
from kit.errors import Conflict, NotFound
from notifier.recipients import repository as repo

# What a queued invoice's message state shows as.
_BY_MESSAGE: dict[str, InvoiceEmailState] = {
    "pending": "pending", "sending": "pending", "sent": "sent", "delivered": "sent",
    "failed": "failed", "unknown": "unknown",
}  # fmt: skip


def view_of(row: Row[Any]) -> InvoiceEmailView:
    return InvoiceEmailView(
        tenant_id=row.tenant_id, uid=row.uid, invoice_id=row.invoice_id, state=_shown(row),
        to=row.recipient, source=row.source, language=row.language, reason=row.reason,
        detail=row.detail, notification_id=row.notification_id, sent_at=row.sent_at,
        created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip


def _shown(row: Row[Any]) -> InvoiceEmailState:
    if row.state == "resolving":
        return "pending"
    if row.state in ("skipped", "failed"):
        shown: InvoiceEmailState = row.state
        return shown
    return _BY_MESSAGE.get(row.message_state or "pending", "pending")


class InvoiceEmails:
    async def record(
        self, conn: AsyncConnection, event: InvoiceTransmitted, skipped: SkipReason | None = None
    ) -> int | None:
        """The invoice's row, once per (tenant, uid); None when it was known (a redelivered or
        re-published event, a second transmission outcome of the same invoice). ``skipped``:
        recorded as decided already, nothing to resolve."""
        values = {
            "tenant_id": event.tenant_id, "uid": event.uid, "invoice_id": event.invoice_id,
            "mark": event.mark, "authentication_code": event.authentication_code,
            "options": options_of(event),
        }  # fmt: skip
        if skipped is not None:
            values |= {"state": "skipped", "reason": skipped, "next_attempt_at": None}
        return await repo.insert_once(conn, values)

    async def view(self, conn: AsyncConnection, tenant_id: str, uid: str) -> InvoiceEmailView:
        row = await repo.view(conn, tenant_id, uid)
        if row is None:
            raise NotFound(f"no transmitted invoice {uid} of {tenant_id} seen yet")
        return view_of(row)

    async def views(
        self,
        conn: AsyncConnection,
        tenant_id: str | None,
        states: list[InvoiceEmailState] | None,
        limit: int,
    ) -> list[InvoiceEmailView]:
        rows = await repo.views(conn, tenant_id, list(states or []), limit)
        return [view_of(row) for row in rows]

    async def retry(self, conn: AsyncConnection, tenant_id: str, uid: str) -> InvoiceEmailView:
        """Resolve a ``failed`` invoice again (its invoice could not be read, e.g. a tenant
        database restored after the event); its message, if any, is resent through
        ``/internal/notifications/{id}/resend`` instead."""
        row = await repo.by_invoice(conn, tenant_id, uid, lock=True)
        if row is None:
            raise NotFound(f"no transmitted invoice {uid} of {tenant_id} seen yet")
        if row.state != "failed":
            raise Conflict(
                f"the invoice's e-mail is {row.state}: only a failed resolution is retried here "
                "(a message is resent with POST /internal/notifications/{id}/resend)"
            )
        values = {"state": "resolving", "next_attempt_at": func.now(), "attempts": 0,
                  "detail": "retried by on-call"}  # fmt: skip
        await repo.move(conn, row.id, "failed", values)
        return await self.view(conn, tenant_id, uid)


def options_of(event: InvoiceTransmitted) -> dict[str, Any] | None:
    """The event's e-mail options in the ERP body's own field names (``rules.delivery_of``)."""
    found = event.recipient
    if found is None:
        return None
    return {"cp_vat": found.counterpart_vat, "cp_country": found.counterpart_country,
            "einv00": found.einv00}  # fmt: skip
