"""Queue ``tenant-admin.public-strings`` (``contracts.queues.PUBLIC_STRINGS``): mydata-sync's
outcome events, each adding its invoice's public strings to the directory and matching the
connection-loss notice of that invoice, if there is one, each statement committing on its own.
Both are idempotent (the directory's key; a matched notice is not matched again), so a
redelivered event needs no inbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Envelope
from contracts.events import outcome_of
from kit.db import is_database_unavailable, single_statements
from kit.messaging import PermanentError, RetryableError
from tenant_admin.directory import service
from tenant_admin.notices import service as notices


class DirectoryConsumer:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def __call__(self, envelope: Envelope) -> None:
        try:
            outcome = outcome_of(envelope)
        except ValueError as exc:
            raise PermanentError(f"not a transmission outcome: {exc}") from None
        try:
            # Each statement is idempotent on its own (a redelivery repeats both harmlessly),
            # so they need no transaction: autocommit saves BEGIN and COMMIT per invoice.
            async with single_statements(self.engine) as conn:
                await service.record(conn, outcome)
                await notices.match(conn, outcome)
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            raise RetryableError(f"catalog unavailable: {type(exc).__name__}") from None
