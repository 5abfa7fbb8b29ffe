"""Resolving SMS left ``unknown`` (the request left, no answer came) by asking the SMS provider.

The SMS provider is asked for the message by the id we chose before sending, so the answer never
depends on the lost reply. It has it → ``sent``, ``delivered`` or ``failed`` as it says. It has
not → asked again later; only after ``EINV_SMS_NOT_FOUND_CHECKS`` such answers, the first at
least ``EINV_SMS_NOT_FOUND_RESEND_AFTER_S`` after the request left, is the message sent again
(the one automatic resend, docs/adr/0008-notifier.md). An SMS provider that does not answer changes
nothing. E-mail has no such look-up: an unknown e-mail waits for on-call.

Units of work: a look-up spans a network call; its answer is applied with
``kit.db.workflow_step``, conditioned on the message being as it was read.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import workflow_step
from notifier.channels.sms import ProviderStatus, SmsProvider, SmsProviderUnavailable
from notifier.lifecycle import after_provider_state, provider_update
from notifier.messages import repository as repo
from notifier.metrics import STATUS_CHECKS
from notifier.settings import NotifierSettings

log = logging.getLogger("notifier.reconcile")


class Reconciler:
    def __init__(self, engine: AsyncEngine, settings: NotifierSettings, sms: SmsProvider):
        self.engine = engine
        self.settings = settings
        self._sms = sms

    async def check(self, message_pk: int) -> Row[Any] | None:
        """Look one unknown SMS up and apply the answer; the row afterwards (None: not an
        unknown SMS any more)."""
        async with self.engine.connect() as conn:
            row = await repo.get(conn, message_pk)
        if row is None or row.state != "unknown" or row.channel != "sms":
            return None
        try:
            status = await self._sms.status(row.provider_message_id)
        except SmsProviderUnavailable as exc:
            STATUS_CHECKS.labels("no_answer").inc()
            return await self._apply(row, self._later(row, f"status look-up failed: {exc}"))
        if status is None:
            STATUS_CHECKS.labels("not_found").inc()
            return await self._apply(row, self._not_found(row))
        STATUS_CHECKS.labels("found").inc()
        return await self._apply(row, self._found(row, status))

    def _later(self, row: Row[Any], why: str) -> dict[str, Any]:
        delay = self.settings.status_check_after(row.status_checks + 1)
        return {"next_attempt_at": repo.after(delay), "last_error": why}

    def _found(self, row: Row[Any], status: ProviderStatus) -> dict[str, Any]:
        new_state = after_provider_state(row.state, status.state)
        assert new_state is not None  # from unknown, any provider state is a move
        return provider_update(new_state) | {"last_error": None}

    def _not_found(self, row: Row[Any]) -> dict[str, Any]:
        checks = row.not_found_checks + 1
        left_at = row.handed_over_at or row.updated_at
        waited_s = (datetime.now(UTC) - left_at).total_seconds()
        enough = checks >= self.settings.sms_not_found_checks
        if enough and waited_s >= self.settings.sms_not_found_resend_after_s:
            log.warning("SMS provider never got the SMS: sending it again", extra={"pk": row.id})
            # The count starts again: a later unknown episode needs its own evidence.
            return {
                "state": "pending", "next_attempt_at": repo.after(0), "not_found_checks": 0,
                "last_error": f"the SMS provider has no message {row.provider_message_id} after "
                f"{checks} look-ups over {waited_s:.0f} s: sent again",
            }  # fmt: skip
        why = f"the SMS provider has no message {row.provider_message_id} yet ({checks} look-ups)"
        return self._later(row, why) | {"not_found_checks": checks}

    async def _apply(self, row: Row[Any], values: dict[str, Any]) -> Row[Any] | None:
        values["status_checks"] = row.status_checks + 1
        async with workflow_step(self.engine) as conn:
            return await repo.move(
                conn, row.id, ("unknown",), values, checks_seen=row.status_checks
            )
