"""The transmission workflow: record, claim, call myDATA, record the outcome, announce it.

Units of work: a transmission spans a network call that may take seconds, and no database
transaction may stay open across it, so this is one of the workflows ``kit.db`` names as
committing its own steps (``workflow_step``): (1) record + claim, committed before the call so
the lease protects the invoice; (2) attempt row + new state + outcome event, in one transaction
(outbox). Everything else here only reads. Callers (the RPC, the command consumer, the sweep,
the operators' resend) pass transmission ids or (tenant, uid); the SQL stays in the repository.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted
from kit.db import single_statements, workflow_step
from kit.outbox import outbox_row
from mydata.erp import parse_erp_invoice
from mydata.invoices_doc import build_invoices_doc
from mydata_sync.metrics import TRANSMISSIONS
from mydata_sync.settings import MydataSyncSettings
from mydata_sync.transmissions import repository as repo
from mydata_sync.transmissions.events import announce, outcome_event
from mydata_sync.transmissions.mydata_calls import MydataCalls
from mydata_sync.transmissions.outcomes import Outcome, Wire, deferred
from mydata_sync.transmissions.repository import ClaimMode

log = logging.getLogger("mydata_sync.transmissions")


@dataclass(frozen=True, slots=True)
class TransmitResult:
    row: Row[Any]  # the transmission as it stands after this call
    outcome: Outcome | None  # None: nothing was tried, the stored state was answered
    event: Envelope  # its outcome event: the one announced when this call changed the state

    @property
    def tenant_id(self) -> str:
        return str(self.row.tenant_id)


class TransmissionService:
    def __init__(
        self,
        engine: AsyncEngine,
        mydata: MydataCalls,
        settings: MydataSyncSettings,
        *,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.mydata = mydata
        self.settings = settings
        self._notify = notify  # wakes the outbox relay after a commit
        # The whole attempt (send + duplicate look-up) must end well inside the lease.
        self._deadline_s = settings.lease_s * 0.8

    async def transmit(
        self, command: InvoiceSubmitted, mode: ClaimMode = ClaimMode.FRESH
    ) -> TransmitResult:
        """Record the invoice (once per tenant+uid) and try it now unless someone else has it."""
        where = repo.by_key(command.tenant_id, command.uid)
        token, lease_s = uuid.uuid4().hex, self.settings.lease_s
        async with single_statements(self.engine) as conn:  # the common case: a new invoice
            row = await repo.insert_claimed(conn, command, lease_s, token)
        if row is None:  # known: a repeat, a redelivery, or a corrected invoice
            async with workflow_step(self.engine) as conn:
                await repo.record_submission(conn, command)
                row = await repo.claim(conn, where, mode, lease_s, token)
                if row is None:
                    return await self._stored(conn, where)
        return await self._attempt(row)

    async def retry(
        self, transmission_id: int, mode: ClaimMode, *, bypass_breaker: bool = False
    ) -> TransmitResult | None:
        """Try a recorded transmission again; None when there is no such transmission."""
        return await self._retry(repo.by_id(transmission_id), mode, bypass_breaker)

    async def retry_invoice(self, tenant_id: str, uid: str) -> TransmitResult | None:
        """A ``transmission.retry_requested`` command: try (tenant, uid) again now."""
        return await self._retry(repo.by_key(tenant_id, uid), ClaimMode.FORCE, False)

    async def _retry(
        self, where: ColumnElement[bool], mode: ClaimMode, bypass_breaker: bool
    ) -> TransmitResult | None:
        async with workflow_step(self.engine) as conn:
            row = await repo.claim(conn, where, mode, self.settings.lease_s, uuid.uuid4().hex)
            if row is None:
                if await repo.get(conn, where) is None:
                    return None
                return await self._stored(conn, where)
        return await self._attempt(row, bypass_breaker=bypass_breaker)

    async def _stored(self, conn: AsyncConnection, where: ColumnElement[bool]) -> TransmitResult:
        row = await repo.get(conn, where)
        assert row is not None  # callers inserted or found it in this transaction
        last = await repo.last_attempt(conn, row.id)
        sent = Wire(last.http_status, last.request_xml, last.response_xml) if last else Wire()
        return TransmitResult(row, None, outcome_event(row, sent))

    async def _attempt(self, row: Row[Any], *, bypass_breaker: bool = False) -> TransmitResult:
        started = datetime.now(UTC)
        outcome = await self._call(row, bypass_breaker)
        TRANSMISSIONS.labels(outcome.kind).inc()
        transmitted = outcome.state == "transmitted"  # the common outcome: one statement
        step = single_statements if transmitted else workflow_step
        record = self._record_transmitted if transmitted else self._record
        async with step(self.engine) as conn:
            result = await record(conn, row, outcome, started)
            if result is None:
                stored = await self._stored(conn, repo.by_id(row.id))
                return TransmitResult(stored.row, outcome, stored.event)
        self._notify()
        return result

    async def _call(self, row: Row[Any], bypass_breaker: bool) -> Outcome:
        try:
            xml = self._xml_for(row)
            async with asyncio.timeout(self._deadline_s):
                return await self.mydata.transmit(
                    xml,
                    uid=row.uid,
                    issuer_vat=str(row.invoice.get("is_vat", "")),
                    bypass_breaker=bypass_breaker,
                )
        except TimeoutError:
            return deferred("timeout", f"attempt took longer than {self._deadline_s:.0f} s")
        except Exception as exc:  # never leave an invoice in flight until its lease expires
            log.exception("transmission attempt failed unexpectedly", extra={"uid": row.uid})
            return deferred("technical_error", f"internal error: {type(exc).__name__}: {exc}")

    @staticmethod
    def _xml_for(row: Row[Any]) -> bytes:
        if not row.outage:
            return str(row.xml).encode("utf-8")
        # A temporary string may be printed already: myDATA must learn it was a provider outage.
        return build_invoices_doc([parse_erp_invoice(row.invoice)], provider_outage=True)

    async def _record(
        self, conn: AsyncConnection, row: Row[Any], outcome: Outcome, started: datetime
    ) -> TransmitResult | None:
        """Write the attempt and the new state, and announce a visible change; None when this
        worker's lease was lost meanwhile (another worker owns the invoice now)."""
        if outcome.called:
            await repo.record_attempt(conn, row.id, started, outcome)
        retry_in = None
        if outcome.state == "deferred":
            retry_in = self.settings.backoff_for(row.attempts + 1)
        recorded = await repo.record_outcome(conn, row, outcome, retry_in)
        if recorded is None:
            log.warning("lease lost before recording; outcome dropped", extra={"uid": row.uid})
            return None
        event = outcome_event(recorded, outcome.wire)
        if recorded.state != row.announced_state:
            await announce(conn, event)
        return TransmitResult(recorded, outcome, event)

    async def _record_transmitted(
        self, conn: AsyncConnection, row: Row[Any], outcome: Outcome, started: datetime
    ) -> TransmitResult | None:
        """``_record`` of a registered invoice as ONE statement (ADR 0013): the outcome event is
        built beforehand from the row as the statement will leave it, and is only written if
        the statement still finds the lease this worker holds."""
        after = repo.transmitted_view(row, outcome)
        event = outcome_event(after, outcome.wire)
        first_time = row.announced_state != "transmitted"
        recorded = await repo.record_transmitted(
            conn, row, outcome, started, outbox_row(event) if first_time else None
        )
        if recorded is None:
            log.warning("lease lost before recording; outcome dropped", extra={"uid": row.uid})
            return None
        return TransmitResult(recorded, outcome, event)

    # --- reads for the sweep and the operators' resend list ---------------------------------

    async def due_ids(self) -> list[int]:
        async with self.engine.connect() as conn:
            return await repo.due_ids(conn, self.settings.sweep_batch, self.settings.lease_s)

    async def deferred_ids(self, after_id: int, limit: int) -> list[int]:
        async with self.engine.connect() as conn:
            return await repo.deferred_ids(conn, after_id, limit)

    async def deferred_count(self) -> int:
        async with self.engine.connect() as conn:
            return await repo.deferred_count(conn)

    async def resend_page(self, limit: int, offset: int) -> tuple[list[Row[Any]], int]:
        """One page of the resend list and the list's total length."""
        async with self.engine.connect() as conn:
            return await repo.resend_page(conn, limit, offset), await repo.resend_count(conn)
