"""Applies mydata-sync's outcome events to the tenant database, each message once (inbox).

The synchronous call usually got there first; the event still matters after a deferral (the
retry's result arrives only this way) and after an RPC that outlived its deadline.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.events import InvoiceDeferred, InvoiceRejected, InvoiceTransmitted
from invoice_service.invoices import repository as repo
from kit.db import TenantEngines
from kit.errors import ServiceUnavailable
from kit.inbox import claim
from kit.messaging import PermanentError, RetryableError
from tenant_schema.tables import inbox

CONSUMER = "invoice-service.outcomes"


class OutcomeConsumer:
    def __init__(self, engines: TenantEngines) -> None:
        self.engines = engines

    async def handle(self, envelope: Envelope) -> None:
        if not envelope.tenant_id:
            raise PermanentError(f"{envelope.type} without tenant_id")
        try:
            engine = await self.engines.get(envelope.tenant_id)
        except ServiceUnavailable as exc:
            raise RetryableError(str(exc)) from None
        try:
            async with engine.begin() as conn:
                if await claim(conn, inbox, CONSUMER, envelope.message_id):
                    await apply_event(conn, envelope)
        except (OSError, TimeoutError, DBAPIError) as exc:
            if isinstance(exc, DBAPIError) and not _database_unavailable(exc):
                raise
            # Not a crash: a crash is requeued at once and the quorum queue's delivery limit
            # dead-letters the outcome within milliseconds of a database restart, leaving the
            # invoice pending for good. The retry tiers wait for the database instead.
            raise RetryableError(f"tenant database unavailable: {type(exc).__name__}") from None


def _database_unavailable(exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return True
    # "the database system is shutting down / starting up" arrives as a plain DBAPIError:
    # SQLSTATE classes 08 (connection) and 57P (operator intervention) mean "not now".
    driver_error = getattr(exc.orig, "__cause__", None) or exc.orig
    sqlstate = str(getattr(driver_error, "sqlstate", "") or "")
    return sqlstate.startswith(("08", "57P"))


async def apply_event(conn: AsyncConnection, envelope: Envelope) -> None:
    if envelope.type == "invoice.transmitted":
        done = InvoiceTransmitted.model_validate(envelope.payload)
        await repo.apply_transmitted(
            conn,
            done.invoice_id,
            mark=done.mark,
            authentication_code=done.authentication_code,
            qr_url=done.qr_url,
            request_xml=done.request_xml,
            response_xml=done.response_xml,
        )
    elif envelope.type == "invoice.deferred":
        later = InvoiceDeferred.model_validate(envelope.payload)
        await repo.apply_deferred(conn, later.invoice_id, later.attempts)
    elif envelope.type == "invoice.rejected":
        refused = InvoiceRejected.model_validate(envelope.payload)
        await repo.apply_rejected(
            conn,
            refused.invoice_id,
            errors=[e.model_dump() for e in refused.errors],
            request_xml=refused.request_xml,
            response_xml=refused.response_xml,
        )
