"""The internal API of the delivery log (portal-web, token bound to the tenant): an endpoint's
deliveries, one delivery with its attempts, resend, and the test event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.webhooks import (
    DELIVERIES_PATH,
    ENDPOINTS_PATH,
    DeliveryDetails,
    DeliveryPage,
    DeliveryView,
)
from kit.db import transaction
from kit.http import RowId, RowIdQuery
from webhooks.deps import Deliveries, Runtime, Tenant

router = APIRouter(tags=["deliveries"])
# BIGINT columns: a larger number is a 400, not a failed statement.
PositiveId = RowId


@router.get(ENDPOINTS_PATH + "/{endpoint_id}/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    endpoint_id: PositiveId, tenant: Tenant, runtime: Runtime, service: Deliveries,
    before: RowIdQuery = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryPage:  # fmt: skip
    """Newest first; ``next_before`` pages on."""
    async with transaction(runtime.engine) as conn:
        return await service.page(conn, tenant, endpoint_id, before, limit)


@router.post(ENDPOINTS_PATH + "/{endpoint_id}/test", response_model=DeliveryView, status_code=201)
async def send_test_event(
    endpoint_id: PositiveId, tenant: Tenant, runtime: Runtime, service: Deliveries
) -> DeliveryView:
    """A ``webhook.test`` event for this endpoint, sent at once."""
    async with transaction(runtime.engine) as conn:
        delivery_id = await service.probe(conn, tenant, endpoint_id)
    runtime.sender.dispatch([delivery_id])
    async with transaction(runtime.engine) as conn:
        return (await service.details(conn, tenant, delivery_id)).delivery


@router.get(DELIVERIES_PATH + "/{delivery_id}", response_model=DeliveryDetails)
async def get_delivery(
    delivery_id: PositiveId, tenant: Tenant, runtime: Runtime, service: Deliveries
) -> DeliveryDetails:
    """The delivery, the exact body it sends, and every attempt."""
    async with transaction(runtime.engine) as conn:
        return await service.details(conn, tenant, delivery_id)


@router.post(DELIVERIES_PATH + "/{delivery_id}/resend", response_model=DeliveryView)
async def resend_delivery(
    delivery_id: PositiveId, tenant: Tenant, runtime: Runtime, service: Deliveries
) -> DeliveryView:
    """The same event (same id, same body, a new signature) sent again now; 409 while an
    attempt is in progress."""
    async with transaction(runtime.engine) as conn:
        view = await service.resend(conn, tenant, delivery_id)
    runtime.sender.dispatch([view.id], trigger="resend")
    return view
