"""Applying SMS delivery reports: at-least-once, out of order, per part (INTEGRATIONS.md §3).

Each report is stored raw and once per (provider message id, status, part): a repeat stops
there. It is then applied to its message under the message's row lock, only forward
(``lifecycle``): a late PENDING never undoes DELIVERED, and neither final state moves. A report
naming a part (``part`` ≥ 1) delivers the message once every part is reported delivered; a
whole-message report (part 0) decides at once. Units of work: the callback request owns the
transaction; nothing here commits.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from notifier.channels.sms import DeliveryReport, ProviderState, SmsProvider
from notifier.lifecycle import after_provider_state, provider_update
from notifier.messages import repository as messages_repo
from notifier.metrics import REPORTS
from notifier.reports import repository as repo

ReportResult = Literal["applied", "ignored", "duplicate", "unmatched"]


class ReportService:
    def __init__(self, sms: SmsProvider) -> None:
        self._sms = sms

    def authorised(self, authorization: str | None) -> bool:
        return self._sms.callback_authorised(authorization)

    def parse(self, body: bytes) -> list[DeliveryReport]:
        """The reports of one callback; ``ValueError`` when the body is not a report."""
        return self._sms.parse_reports(body)

    async def apply(self, conn: AsyncConnection, report: DeliveryReport) -> ReportResult:
        result = await self._apply(conn, report)
        REPORTS.labels(result).inc()
        return result

    async def _apply(self, conn: AsyncConnection, report: DeliveryReport) -> ReportResult:
        report_pk = await repo.insert_report(conn, report)
        if report_pk is None:
            return "duplicate"
        row = await messages_repo.by_provider_message_id(conn, report.provider_message_id)
        if row is None:
            return "unmatched"  # kept raw: an id of ours from before a resend, or not ours
        state = await self._message_state(conn, row, report)
        new_state = after_provider_state(row.state, state)
        if new_state is None:
            return "ignored"
        await messages_repo.move(conn, row.id, (row.state,), provider_update(new_state))
        await repo.mark_applied(conn, report_pk)
        return "applied"

    @staticmethod
    async def _message_state(
        conn: AsyncConnection, row: Row[Any], report: DeliveryReport
    ) -> ProviderState:
        """What the report says of the whole message: one delivered part of several only says
        the SMS provider has it."""
        if report.state != "delivered" or report.part == 0:
            return report.state
        delivered = await repo.delivered_parts(conn, report.provider_message_id)
        every_part = set(range(1, (row.parts or 1) + 1))
        return "delivered" if every_part <= delivered else "pending"
