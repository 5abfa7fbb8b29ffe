"""One delivery attempt: claim it, sign it, POST it, record what happened.

Units of work: an attempt spans a network call, so this workflow commits its own steps with
``kit.db.workflow_step``: (1) the claim with its lease (and the endpoint's secrets, opened in
memory only), (2) the outcome with its attempt row. A worker that dies in between leaves the
lease to expire; the sweep sends the delivery again — at least once, never "maybe never": the
event id lets the receiver drop the copy.

Outcomes: 2xx → delivered; 410 Gone → failed, and the endpoint is disabled (the receiver says
it is gone for good; the customer enables it again in the portal); anything else → retried
after ``EINV_WEBHOOKS_RETRY_BACKOFF_S`` until the delivery's window ends, then failed.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.db import workflow_step
from webhooks.client import Reply, WebhookClient
from webhooks.deliveries import repository as repo
from webhooks.endpoints import repository as endpoints_repo
from webhooks.endpoints.service import EndpointService
from webhooks.metrics import ATTEMPTS, LATENCY
from webhooks.settings import WebhooksSettings
from webhooks.signing import signed_headers

log = logging.getLogger("webhooks.sending")
GONE = 410
# Attempts waiting for a slot beyond this are left to the sweep (they are recorded, due now).
MAX_WAITING = 1000


@dataclass(frozen=True, slots=True)
class Claimed:
    row: Row[Any]
    secrets: list[str]
    started_at: datetime


class Sender:
    def __init__(
        self,
        engine: AsyncEngine,
        settings: WebhooksSettings,
        endpoints: EndpointService,
        client: WebhookClient,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._endpoints = endpoints
        self._client = client
        self._slots = asyncio.Semaphore(settings.send_concurrency)
        self._in_flight: set[asyncio.Task[Row[Any] | None]] = set()

    def dispatch(self, delivery_ids: list[int], trigger: str | None = None) -> None:
        """Try these deliveries soon, without waiting for them (the consumer's first attempt,
        a resend); whatever does not get a slot is sent by the sweep."""
        for delivery_id in delivery_ids:
            if len(self._in_flight) >= MAX_WAITING:
                return
            self._track(delivery_id, due_only=False, trigger=trigger)

    async def send(
        self, delivery_id: int, *, due_only: bool = True, trigger: str | None = None
    ) -> Row[Any] | None:
        """One attempt at a pending delivery; the row afterwards, or None when it was not
        pending (someone else has it, it is final, or its endpoint is disabled). Shielded:
        a sweep stopped mid-attempt does not cut the attempt (``drain`` waits for it)."""
        return await asyncio.shield(self._track(delivery_id, due_only=due_only, trigger=trigger))

    def _track(
        self, delivery_id: int, *, due_only: bool, trigger: str | None
    ) -> asyncio.Task[Row[Any] | None]:
        task = asyncio.create_task(self._send(delivery_id, due_only, trigger))
        self._in_flight.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Row[Any] | None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery attempt failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for the attempts in flight; each ends within its timeouts."""
        if self._in_flight:
            limit = self.settings.connect_timeout_s + self.settings.timeout_s + 1
            await asyncio.wait(set(self._in_flight), timeout=limit)

    async def _send(self, delivery_id: int, due_only: bool, trigger: str | None) -> Row[Any] | None:
        async with self._slots:
            claimed = await self._claim(delivery_id, due_only)
            if claimed is None:
                return None
            row = claimed.row
            body = row.body.encode()
            headers = signed_headers(row.event_id, body, claimed.secrets)
            reply = await self._client.post(row.url, body, headers)
            return await self._record(claimed, reply, trigger)

    async def _claim(self, delivery_id: int, due_only: bool) -> Claimed | None:
        token = uuid.uuid4().hex
        async with workflow_step(self.engine) as conn:
            row = await repo.claim(
                conn, delivery_id, self.settings.lease_s, token, due_only=due_only
            )
            if row is None:
                return None
            secrets = await self._endpoints.signing_secrets(conn, row.endpoint_id)
        return Claimed(row, secrets, datetime.now(UTC))

    async def _record(self, claimed: Claimed, reply: Reply, trigger: str | None) -> Row[Any] | None:
        row = claimed.row
        outcome, values = self._outcome(row, reply)
        ATTEMPTS.labels(outcome).inc()
        LATENCY.observe(reply.duration_ms / 1000)
        async with workflow_step(self.engine) as conn:
            await repo.record_attempt(conn, {
                "delivery_id": row.id, "number": row.attempts,
                "trigger": trigger or ("first" if row.attempts == 1 else "retry"),
                "started_at": claimed.started_at, "duration_ms": reply.duration_ms,
                "status_code": reply.status, "outcome": outcome, "error": reply.error,
                "response_excerpt": reply.excerpt,
            })  # fmt: skip
            if reply.status == GONE:
                await endpoints_repo.disable(
                    conn, row.endpoint_id, "the receiver answered 410 Gone"
                )
            recorded = await repo.finish(conn, row, values)
        if recorded is None:
            log.warning("attempt outcome superseded (lease lost)", extra={"delivery": row.id})
        return recorded

    def _outcome(self, row: Row[Any], reply: Reply) -> tuple[str, dict[str, Any]]:
        values: dict[str, Any] = {
            "last_status": reply.status, "last_error": reply.error,
            "last_attempt_at": func.now(), "next_attempt_at": None,
        }  # fmt: skip
        if reply.delivered:
            return "delivered", values | {"state": "delivered", "delivered_at": func.now()}
        if reply.status == GONE:
            return "failed", values | {"state": "failed", "last_error": "HTTP 410 Gone"}
        delay = self.settings.backoff_for(row.attempts)
        if datetime.now(UTC) + timedelta(seconds=delay) > row.give_up_at:
            why = f"gave up after {row.attempts} attempts: {reply.error}"
            return "failed", values | {"state": "failed", "last_error": why}
        return "retry", values | {"state": "pending", "next_attempt_at": repo.after(delay)}
