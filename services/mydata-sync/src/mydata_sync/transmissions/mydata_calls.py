"""Calls to myDATA behind the circuit breaker and the in-flight limit, turned into Outcomes.

A 228/233 duplicate answer means an earlier attempt (whose answer we never saw) registered the
invoice: it becomes "transmitted" with the ORIGINAL MARK and authentication code, taken from the
error message or, when the message lacks them, from RequestTransmittedDocs by uid.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

from mydata.client import Answer, ProviderClient
from mydata.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    ConnectTimeout,
    RawExchange,
    RequestTimeout,
    TransportError,
)
from mydata.response import (
    BusinessRejected,
    Duplicate,
    Registered,
    ResponseEntry,
    TechnicalRejected,
    TransmittedInvoice,
)
from mydata_sync.breaker import CircuitBreaker
from mydata_sync.metrics import AUTH_FAILURES, MYDATA_LATENCY
from mydata_sync.transmissions.outcomes import Outcome, circuit_open, deferred, wire

log = logging.getLogger("mydata_sync.mydata")
T = TypeVar("T")


class MydataCalls:
    def __init__(
        self,
        client: ProviderClient,
        breaker: CircuitBreaker,
        *,
        max_in_flight: int = 20,
        lookup_max_pages: int = 20,
        slow_call_s: float | None = None,
    ) -> None:
        self.client = client
        self.breaker = breaker
        self._slots = asyncio.Semaphore(max_in_flight)
        self._lookup_max_pages = lookup_max_pages
        self._slow_call_s = slow_call_s

    async def transmit(
        self, xml: bytes, *, uid: str, issuer_vat: str, bypass_breaker: bool = False
    ) -> Outcome:
        """Send one invoice. ``bypass_breaker``: an operator's explicit resend goes out anyway."""
        if not bypass_breaker and not self.breaker.allow():
            return circuit_open()
        answered = False
        try:
            outcome = await self._send(xml, uid, issuer_vat)
            answered = True
            return outcome
        finally:
            if not answered:
                self.breaker.release()

    async def _send(self, xml: bytes, uid: str, issuer_vat: str) -> Outcome:
        call = asyncio.ensure_future(self._timed("SendInvoices", self.client.send_invoices(xml)))
        try:
            answered = await self._answered_unless_open(call)
        except BaseException:  # our caller gave up (its deadline): so does the call
            call.cancel()
            raise
        if not answered:
            return deferred("circuit_open", "myDATA did not answer and the breaker opened")
        try:
            answer = call.result()
        except TransportError as exc:
            return self._technical(exc)
        outcome = await self._interpret(answer, uid, issuer_vat)
        if outcome.kind == "technical_error":
            self.breaker.record_failure()
        else:
            self.breaker.record_success()
        return outcome

    async def _answered_unless_open(self, call: asyncio.Future[T]) -> bool:
        """Wait for ``call``; past the slow-call limit it counts as a failure, and if the
        breaker then opens (enough hanging calls: myDATA is not answering) it is cancelled and
        False returned, so that callers stop waiting within seconds of an outage. A call that
        reached myDATA anyway is found by the retry's duplicate check (228/233)."""
        if self._slow_call_s is None:
            await asyncio.wait({call})
            return True
        done, _ = await asyncio.wait({call}, timeout=self._slow_call_s)
        if done:
            return True
        self.breaker.record_failure()
        opened: asyncio.Future[None] = asyncio.ensure_future(self.breaker.wait_open())
        try:
            either: list[asyncio.Future[Any]] = [call, opened]
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            opened.cancel()
        if call.done():
            return True
        call.cancel()
        return False

    async def _timed(self, method: str, call: Awaitable[T]) -> T:
        async with self._slots:
            started = time.monotonic()
            try:
                return await call
            finally:
                MYDATA_LATENCY.labels(method).observe(time.monotonic() - started)

    def _technical(self, exc: TransportError) -> Outcome:
        connect = isinstance(exc, ConnectTimeout) or (
            isinstance(exc, ConnectionFailed) and not exc.ambiguous
        )
        self.breaker.record_failure(connect=connect)
        if isinstance(exc, AuthenticationFailed):
            # Our provider credentials are wrong: no customer's invoice is at fault, so the
            # invoice is deferred like in an outage, and operators must hear about it loudly.
            AUTH_FAILURES.inc()
            log.error("myDATA refused our credentials (HTTP 401): check EINV_MYDATA_USER_ID/KEY")
            return deferred("auth_failed", str(exc), exc.raw)
        kind = "timeout" if isinstance(exc, RequestTimeout) else "technical_error"
        return deferred(kind, f"{type(exc).__name__}: {exc}", exc.raw)

    async def _interpret(
        self, answer: Answer[tuple[ResponseEntry, ...]], uid: str, issuer_vat: str
    ) -> Outcome:
        entry = answer.value[0] if len(answer.value) == 1 else None
        sent = wire(answer.raw)
        if isinstance(entry, Registered):
            mismatch = _mismatch(entry, uid)
            if mismatch:
                # Not an answer about this invoice: never printed as its proof. Deferred, so the
                # retry either registers it or meets a duplicate answer, recovered by uid.
                log.error("myDATA success answer refused", extra={"uid": uid, "why": mismatch})
                return deferred("answer_mismatch", mismatch, answer.raw)
            return Outcome(
                "transmitted",
                "registered",
                mark=str(entry.mark),
                authentication_code=entry.authentication_code,
                qr_url=entry.qr_url,
                wire=sent,
            )
        if isinstance(entry, BusinessRejected):
            duplicate = entry.duplicate
            if duplicate is not None:
                return await self._recover(duplicate, uid, issuer_vat, answer.raw)
            return Outcome("rejected", "business_error", errors=entry.errors, wire=sent)
        if isinstance(entry, TechnicalRejected):
            text = "; ".join(f"{e.code}: {e.message}" for e in entry.errors) or "TechnicalError"
            return deferred("technical_error", f"myDATA TechnicalError: {text}", answer.raw)
        return deferred("technical_error", f"unexpected answer: {answer.value!r}"[:500], answer.raw)

    async def _recover(
        self, duplicate: Duplicate, uid: str, issuer_vat: str, raw: RawExchange
    ) -> Outcome:
        mark, code = duplicate.mark, duplicate.authentication_code
        if mark is None or code is None:
            try:
                found = await self.find_transmitted(uid, issuer_vat)
            except TransportError as exc:
                return deferred("technical_error", f"duplicate look-up failed: {exc}", raw)
            if found is None:
                return deferred("technical_error", f"{duplicate.code} but {uid} not found", raw)
            mark, code = found.mark, found.authentication_code
        log.info("duplicate answer recovered as transmitted", extra={"uid": uid, "mark": mark})
        return Outcome(
            "transmitted",
            "duplicate_recovered",
            mark=str(mark),
            authentication_code=code,
            wire=wire(raw),
        )

    async def find_transmitted(self, uid: str, issuer_vat: str) -> TransmittedInvoice | None:
        """Page through our transmissions of ``issuer_vat`` looking for ``uid`` (bounded)."""
        partition: str | None = None
        row: str | None = None
        for _ in range(self._lookup_max_pages):
            docs = await self._timed(
                "RequestTransmittedDocs",
                self.client.request_transmitted_docs(
                    0, issuer_vat=issuer_vat, next_partition_key=partition, next_row_key=row
                ),
            )
            found = docs.value.find_by_uid(uid)
            if found is not None or docs.value.continuation is None:
                return found
            partition = docs.value.continuation.next_partition_key
            row = docs.value.continuation.next_row_key
        return None


def _mismatch(entry: Registered, uid: str) -> str | None:
    """Why a ``Success`` answer cannot be recorded as this invoice's registration, if it cannot:
    it names another invoice, or carries no authentication code to print."""
    if entry.uid != uid.upper():
        return f"Success answer names invoiceUid {entry.uid}, not the {uid.upper()} sent"
    if not entry.authentication_code:
        return "Success answer without an authenticationCode"
    return None
