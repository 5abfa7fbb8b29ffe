"""The outcome queue: mydata-sync's outcome events applied to the tenant databases.

The synchronous call usually got there first: this process remembers the outcomes it applied
from the RPC's answer (``AppliedHere``) and acknowledges their events without a transaction;
any other copy meets the inbox (``invoices.outcomes`` skips it by its message id). The event
still matters after a deferral (the retry's result arrives only this way) and after an RPC that
outlived its deadline.
"""

from __future__ import annotations

from contracts.envelope import Envelope
from invoice_service.invoices.outcomes import AppliedHere, apply_outcome_once
from kit.db import TenantEngines, is_database_unavailable, transaction
from kit.errors import ServiceUnavailable
from kit.messaging import PermanentError, RetryableError


class OutcomeConsumer:
    def __init__(self, engines: TenantEngines, applied: AppliedHere) -> None:
        self.engines = engines
        self.applied = applied

    async def handle(self, envelope: Envelope) -> None:
        if not envelope.tenant_id:
            raise PermanentError(f"{envelope.type} without tenant_id")
        if self.applied.pop(envelope.message_id):
            return
        try:
            engine = await self.engines.get(envelope.tenant_id)
        except ServiceUnavailable as exc:
            raise RetryableError(str(exc)) from None
        try:
            async with transaction(engine) as conn:
                await apply_outcome_once(conn, envelope)
        except ValueError as exc:
            raise PermanentError(f"not a transmission outcome: {exc}") from None
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            # Not a crash: a crash is requeued at once and the quorum queue's delivery limit
            # dead-letters the outcome within milliseconds of a database restart, leaving the
            # invoice pending for good. The retry tiers wait for the database instead.
            raise RetryableError(f"tenant database unavailable: {type(exc).__name__}") from None
