"""Delivery reports: pushed to each message's ``notifyUrl`` as Infobip does (POST, JSON
``{"results": [...]}``, HTTP Basic credentials), retried until the receiver answers 2xx.

The plan (``faults.ReportPlan``) decides what a message's reports look like: one DELIVERED,
none, DELIVERED then a stale PENDING (out of order), one per part, or UNDELIVERABLE; each is sent
``copies`` times (duplicates). Sending runs in background tasks, never in the request.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from devmail.faults import ReportPlan
from devmail.sms import wire
from devmail.state import AcceptedSms, now
from kit.tasks import cancel_all

log = logging.getLogger("devmail.reports")

# Infobip retries a report its receiver did not take; so does the stand-in.
MAX_TRIES = 5
RETRY_PAUSE_S = 0.5


def planned_reports(sms: AcceptedSms, plan: ReportPlan) -> list[dict[str, Any]]:
    """The report bodies a message gets under ``plan``, in sending order."""
    if plan.mode == "none":
        return []
    if plan.mode == "undeliverable":
        reports = [wire.report(sms, "UNDELIVERABLE_NOT_DELIVERED")]
    elif plan.mode == "out_of_order":
        reports = [wire.report(sms, "DELIVERED_TO_HANDSET"), wire.report(sms, "PENDING_ENROUTE")]
    elif plan.mode == "per_part":
        parts = range(1, sms.parts + 1)
        reports = [wire.report(sms, "DELIVERED_TO_HANDSET", part) for part in parts]
    else:
        reports = [wire.report(sms, "DELIVERED_TO_HANDSET")]
    return [body for body in reports for _ in range(plan.copies)]


class ReportSender:
    def __init__(self, username: str, password: str, default_delay_s: float) -> None:
        self._client = httpx.AsyncClient(auth=(username, password), timeout=5.0)
        self._default_delay_s = default_delay_s
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self, sms: AcceptedSms, plan: ReportPlan) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(sms, plan))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send_now(self, sms: AcceptedSms, status_name: str, part: int | None) -> None:
        """One report right away (``/_admin``: a test's own out-of-order sequence)."""
        await self._post(sms, [wire.report(sms, status_name, part)])

    async def _deliver(self, sms: AcceptedSms, plan: ReportPlan) -> None:
        delay_ms = plan.delay_ms
        await asyncio.sleep(self._default_delay_s if delay_ms is None else delay_ms / 1000)
        sms.status = "UNDELIVERABLE" if plan.mode == "undeliverable" else "DELIVERED"
        sms.done_at = now()
        for body in planned_reports(sms, plan):
            await self._post(sms, [body])

    async def _post(self, sms: AcceptedSms, results: list[dict[str, Any]]) -> None:
        if not sms.notify_url:
            return
        for _ in range(MAX_TRIES):
            try:
                response = await self._client.post(sms.notify_url, json={"results": results})
                if response.is_success:
                    sms.reports_sent += len(results)
                    return
                failure = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                failure = f"{type(exc).__name__}: {exc}"
            sms.report_failures.append(failure)
            await asyncio.sleep(RETRY_PAUSE_S)
        log.warning("report not taken", extra={"message_id": sms.message_id})

    async def close(self) -> None:
        await cancel_all(list(self._tasks))
        await self._client.aclose()
