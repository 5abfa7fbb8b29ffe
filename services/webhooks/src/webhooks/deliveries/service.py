"""Deliveries: recording an event for every endpoint that chose it (once per endpoint and event
id), the delivery log, resend (the same event id and body again) and the test event.

Units of work: the caller owns the transaction and passes the connection; nothing commits here.
Sending is ``deliveries.sending`` (a workflow that commits its own steps).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Envelope
from contracts.webhooks import TEST_EVENT, AttemptView, DeliveryDetails, DeliveryPage, DeliveryView
from kit.errors import Conflict, NotFound
from webhooks.deliveries import repository as repo
from webhooks.endpoints import repository as endpoints_repo
from webhooks.events import delivery_body, probe_body, tenant_of
from webhooks.settings import WebhooksSettings


class DeliveryService:
    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings

    async def has_targets(self, conn: AsyncConnection, envelope: Envelope) -> bool:
        """Whether any active endpoint of the event's tenant chose its type."""
        return bool(await endpoints_repo.subscribed(conn, tenant_of(envelope), envelope.type))

    async def record(self, conn: AsyncConnection, envelope: Envelope) -> list[int]:
        """One pending delivery per active endpoint of the event's tenant that chose its type;
        the ids of the new ones (none for an event seen before: the unique key stops it)."""
        tenant_id = tenant_of(envelope)
        targets = await endpoints_repo.subscribed(conn, tenant_id, envelope.type)
        if not targets:
            return []
        body = delivery_body(envelope)
        rows = [self._values(e, tenant_id, envelope.message_id, envelope.type, body)
                for e in targets]  # fmt: skip
        return await repo.insert_once(conn, rows)

    async def probe(self, conn: AsyncConnection, tenant_id: str, endpoint_id: int) -> int:
        """A ``webhook.test`` event for one endpoint (whatever it chose); its delivery id."""
        endpoint = await endpoints_repo.get(conn, tenant_id, endpoint_id)
        if endpoint is None:
            raise NotFound(f"no endpoint {endpoint_id}")
        if not endpoint.active:
            raise Conflict("the endpoint is disabled: enable it first")
        event_id, body = probe_body()
        values = self._values(endpoint_id, tenant_id, event_id, TEST_EVENT, body)
        return (await repo.insert_once(conn, [values]))[0]

    def _values(
        self, endpoint_id: int, tenant_id: str, event_id: str, event_type: str, body: str
    ) -> dict[str, Any]:
        return {
            "endpoint_id": endpoint_id, "tenant_id": tenant_id, "event_id": event_id,
            "event_type": event_type, "body": body, "next_attempt_at": func.now(),
            "give_up_at": repo.after(self.settings.retry_window_s),
        }  # fmt: skip

    # --- the delivery log -----------------------------------------------------------------

    async def page(
        self, conn: AsyncConnection, tenant_id: str, endpoint_id: int, before: int | None,
        limit: int,
    ) -> DeliveryPage:  # fmt: skip
        if await endpoints_repo.get(conn, tenant_id, endpoint_id) is None:
            raise NotFound(f"no endpoint {endpoint_id}")
        rows = await repo.for_endpoint(conn, tenant_id, endpoint_id, before, limit + 1)
        more = len(rows) > limit
        items = [view_of(r) for r in rows[:limit]]
        return DeliveryPage(items=items, next_before=items[-1].id if more else None)

    async def details(
        self, conn: AsyncConnection, tenant_id: str | None, delivery_id: int
    ) -> DeliveryDetails:
        row = await self._row(conn, tenant_id, delivery_id)
        history = await repo.attempts_of(conn, row.id)
        return DeliveryDetails(
            delivery=view_of(row),
            body=row.body,
            attempts=[AttemptView.model_validate(a, from_attributes=True) for a in history],
        )

    async def resend(
        self, conn: AsyncConnection, tenant_id: str | None, delivery_id: int
    ) -> DeliveryView:
        """The same event (same id and body) sent again now, with a new retry window; a
        delivery being attempted right now is left alone."""
        row = await self._row(conn, tenant_id, delivery_id, lock=True)
        if row.state == "sending":
            raise Conflict("an attempt is in progress: wait for its outcome")
        return view_of(await repo.reopen(conn, row, self.settings.retry_window_s))

    async def _row(
        self, conn: AsyncConnection, tenant_id: str | None, delivery_id: int, *, lock: bool = False
    ) -> Row[Any]:
        row = await repo.get(conn, tenant_id, delivery_id, lock=lock)
        if row is None:
            raise NotFound(f"no delivery {delivery_id}")
        return row


def view_of(row: Row[Any]) -> DeliveryView:
    return DeliveryView(
        id=row.id, endpoint_id=row.endpoint_id, event_id=row.event_id,
        event_type=row.event_type, state=row.state, attempts=row.attempts, resends=row.resends,
        last_status=row.last_status, last_error=row.last_error,
        last_attempt_at=row.last_attempt_at, next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at, created_at=row.created_at,
    )  # fmt: skip
