"""The transmission workflow: record, claim, call myDATA, settle, announce.

Unit-of-work note (DESIGN §8 says services never commit): a transmission spans a network call
that may take seconds, and no database transaction may stay open across it. So this workflow
owns exactly two short units of work per attempt, each opened here with ``engine.begin()``:
(1) record + claim, committed before the call so the lease protects the invoice; (2) attempt row +
new state + outcome event, in one transaction (outbox). Repository functions never commit.
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

from mydata.erp import parse_erp_invoice
from mydata.invoices_doc import build_invoices_doc
from mydata_sync.metrics import TRANSMISSIONS
from mydata_sync.settings import MydataSyncSettings
from mydata_sync.transmissions import repository as repo
from mydata_sync.transmissions.events import announce
from mydata_sync.transmissions.mydata_calls import MydataGateway
from mydata_sync.transmissions.outcomes import Outcome, Wire, deferred
from mydata_sync.transmissions.repository import ClaimMode
from mydata_sync.transmissions.schemas import ErrorOut, TransmitAnswer, TransmitRequest

log = logging.getLogger("mydata_sync.transmissions")


@dataclass(frozen=True, slots=True)
class TransmitResult:
    answer: TransmitAnswer
    outcome: Outcome | None  # None: nothing was tried, the stored state was answered
    tenant_id: str


class TransmissionService:
    def __init__(
        self,
        engine: AsyncEngine,
        gateway: MydataGateway,
        settings: MydataSyncSettings,
        *,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.gateway = gateway
        self.settings = settings
        self._notify = notify  # wakes the outbox relay after a commit
        # The whole attempt (send + duplicate look-up) must end well inside the lease.
        self._deadline_s = settings.lease_s * 0.8

    async def transmit(
        self, req: TransmitRequest, mode: ClaimMode = ClaimMode.FRESH
    ) -> TransmitResult:
        """Record the invoice (once per tenant+uid) and try it now unless someone else has it."""
        token = uuid.uuid4().hex
        async with self.engine.begin() as conn:
            await repo.insert_if_absent(conn, req)
            where = repo.by_key(req.tenant_id, req.uid)
            row = await repo.claim(conn, where, mode, self.settings.lease_s, token)
            if row is None:
                return TransmitResult(await self._stored(conn, where), None, req.tenant_id)
        return await self._attempt(row)

    async def retry(
        self, where: ColumnElement[bool], mode: ClaimMode, *, bypass_breaker: bool = False
    ) -> TransmitResult | None:
        """Try a recorded transmission again; None when there is no such transmission."""
        token = uuid.uuid4().hex
        async with self.engine.begin() as conn:
            row = await repo.claim(conn, where, mode, self.settings.lease_s, token)
            if row is None:
                stored = await repo.get(conn, where)
                if stored is None:
                    return None
                return TransmitResult(await self._stored(conn, where), None, stored.tenant_id)
        return await self._attempt(row, bypass_breaker=bypass_breaker)

    async def _stored(self, conn: AsyncConnection, where: ColumnElement[bool]) -> TransmitAnswer:
        row = await repo.get(conn, where)
        assert row is not None  # callers inserted or found it in this transaction
        last = await repo.last_attempt(conn, row.id)
        sent = Wire(last.http_status, last.request_xml, last.response_xml) if last else Wire()
        return answer_from(row, sent)

    async def _attempt(self, row: Row[Any], *, bypass_breaker: bool = False) -> TransmitResult:
        started = datetime.now(UTC)
        outcome = await self._call(row, bypass_breaker)
        TRANSMISSIONS.labels(outcome.kind).inc()
        async with self.engine.begin() as conn:
            settled = await self._settle(conn, row, outcome, started)
            if settled is None:
                stored = await self._stored(conn, repo.by_id(row.id))
                return TransmitResult(stored, outcome, row.tenant_id)
        self._notify()
        return TransmitResult(answer_from(settled, outcome.wire), outcome, row.tenant_id)

    async def _call(self, row: Row[Any], bypass_breaker: bool) -> Outcome:
        try:
            xml = self._xml_for(row)
            async with asyncio.timeout(self._deadline_s):
                return await self.gateway.transmit(
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

    async def _settle(
        self, conn: AsyncConnection, row: Row[Any], outcome: Outcome, started: datetime
    ) -> Row[Any] | None:
        if outcome.called:
            await repo.record_attempt(conn, row.id, started, outcome)
        retry_in = None
        if outcome.state == "deferred":
            retry_in = self.settings.backoff_for(row.attempts + 1)
        settled = await repo.settle(conn, row, outcome, retry_in)
        if settled is None:
            log.warning("lease lost before settling; outcome dropped", extra={"uid": row.uid})
            return None
        if settled.state != row.announced_state:
            await announce(conn, settled, outcome)
        return settled


def answer_from(row: Row[Any], sent: Wire) -> TransmitAnswer:
    """The RPC answer for a transmission row; in flight or pending reads as deferred."""
    state = row.state if row.state in ("transmitted", "rejected") else "deferred"
    return TransmitAnswer(
        transmission_id=row.id,
        state=state,
        mark=row.mark,
        uid=row.uid,
        authentication_code=row.authentication_code,
        qr_url=row.qr_url,
        errors=[ErrorOut(**e) for e in row.errors or []],
        request_xml=sent.request_xml,
        response_xml=sent.response_xml,
        attempts=row.attempts,
    )
