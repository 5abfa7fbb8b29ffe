"""``/account/webhooks`` (issue 10): the customer's endpoints, each with its signing secrets
(rotation), enable/disable, events, delete, a test event and the delivery log with resend.
Customers only; every post carries the CSRF token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from contracts.webhooks import SUBSCRIBABLE_EVENTS, EndpointChange
from kit.errors import NotFound
from kit.http import RowId, RowIdQuery
from portal_web.clients.webhooks import EndpointRefused
from portal_web.deps import Customer, CustomerPost, RuntimeDep, Visitor
from portal_web.webhooks import service

router = APIRouter(tags=["webhooks"], include_in_schema=False)
BASE = "/account/webhooks"
PAGE_SIZE = 25
EndpointId = RowId
DeliveryId = RowId
Events = Annotated[list[str], Form(max_length=len(SUBSCRIBABLE_EVENTS))]
# Names the templates word in the page's language (``_(event_labels[type])``).
LABELS: dict[str, Any] = {
    "event_labels": service.EVENT_LABELS, "state_labels": service.STATE_LABELS,
    "trigger_labels": service.TRIGGER_LABELS, "event_types": SUBSCRIBABLE_EVENTS,
}  # fmt: skip


def _back(endpoint_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"{BASE}/{endpoint_id}?done={done}", status_code=303)


async def _list_page(
    visitor: Visitor, runtime: RuntimeDep, *, status: int = 200, **form: Any
) -> Response:
    endpoints = await runtime.webhooks.endpoints(visitor.user.customer_id)
    values = {
        "url": "",
        "events": list(SUBSCRIBABLE_EVENTS),
        "description": "",
        "messages": [],
    } | form
    return runtime.pages.render(
        visitor.page, "webhooks/list.html", status=status, endpoints=endpoints, **LABELS, **values
    )


@router.get(BASE)
async def webhooks_page(visitor: Customer, runtime: RuntimeDep, done: str = "") -> Response:
    return await _list_page(visitor, runtime, messages=service.done_message(done))


@router.post(BASE)
async def add_endpoint(
    visitor: CustomerPost, runtime: RuntimeDep, url: Annotated[str, Form(max_length=2100)] = "",
    events: Events = [], description: Annotated[str, Form(max_length=200)] = "",  # noqa: B006
) -> Response:  # fmt: skip
    form = {"url": url, "events": events, "description": description}
    new = service.read_new_endpoint(url, events, description)
    if isinstance(new, list):
        return await _list_page(visitor, runtime, status=400, **form, messages=new)
    try:
        issued = await runtime.webhooks.register(visitor.user.customer_id, new)
    except EndpointRefused as refused:
        messages = service.problem_messages(refused.problems)
        return await _list_page(visitor, runtime, status=400, **form, messages=messages)
    # Shown once, on this answer only (no-store): the service keeps it sealed.
    return runtime.pages.render(visitor.page, "webhooks/secret.html", issued=issued, new=True)


@router.get(BASE + "/{endpoint_id}")
async def endpoint_page(
    endpoint_id: EndpointId, visitor: Customer, runtime: RuntimeDep, done: str = "",
    before: RowIdQuery = None,
) -> Response:  # fmt: skip
    tenant = visitor.user.customer_id
    endpoint = await runtime.webhooks.endpoint(tenant, endpoint_id)
    if endpoint is None:
        raise NotFound("no such endpoint")
    deliveries = await runtime.webhooks.deliveries(tenant, endpoint_id, before, PAGE_SIZE)
    return runtime.pages.render(
        visitor.page, "webhooks/endpoint.html", endpoint=endpoint, deliveries=deliveries,
        messages=service.done_message(done), **LABELS,
    )  # fmt: skip


@router.post(BASE + "/{endpoint_id}/rotate")
async def rotate_secret(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep
) -> Response:
    issued = await runtime.webhooks.rotate(visitor.user.customer_id, endpoint_id)
    return runtime.pages.render(visitor.page, "webhooks/secret.html", issued=issued, new=False)


@router.post(BASE + "/{endpoint_id}/finish-rotation")
async def finish_rotation(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep
) -> Response:
    await runtime.webhooks.finish_rotation(visitor.user.customer_id, endpoint_id)
    return _back(endpoint_id, "finished")


@router.post(BASE + "/{endpoint_id}/state")
async def switch_endpoint(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep,
    active: Annotated[bool, Form()] = False,
) -> Response:  # fmt: skip
    change = EndpointChange(active=active)
    await runtime.webhooks.change(visitor.user.customer_id, endpoint_id, change)
    return _back(endpoint_id, "enabled" if active else "disabled")


@router.post(BASE + "/{endpoint_id}/events")
async def change_events(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep,
    events: Events = [],  # noqa: B006
) -> Response:  # fmt: skip
    chosen = service.chosen_events(events)
    if not chosen:
        return _back(endpoint_id, "no-events")
    await runtime.webhooks.change(
        visitor.user.customer_id, endpoint_id, EndpointChange(events=chosen)
    )
    return _back(endpoint_id, "events")


@router.post(BASE + "/{endpoint_id}/delete")
async def delete_endpoint(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep
) -> Response:
    await runtime.webhooks.delete(visitor.user.customer_id, endpoint_id)
    return RedirectResponse(f"{BASE}?done=deleted", status_code=303)


@router.post(BASE + "/{endpoint_id}/test")
async def send_test_event(
    endpoint_id: EndpointId, visitor: CustomerPost, runtime: RuntimeDep
) -> Response:
    sent = await runtime.webhooks.send_test(visitor.user.customer_id, endpoint_id)
    return _back(endpoint_id, "test" if sent else "inactive")


@router.get(BASE + "/{endpoint_id}/deliveries/{delivery_id}")
async def delivery_page(
    endpoint_id: EndpointId, delivery_id: DeliveryId, visitor: Customer, runtime: RuntimeDep
) -> Response:
    details = await runtime.webhooks.delivery(visitor.user.customer_id, delivery_id)
    if details is None or details.delivery.endpoint_id != endpoint_id:
        raise NotFound("no such delivery")
    return runtime.pages.render(
        visitor.page, "webhooks/delivery.html", details=details, endpoint_id=endpoint_id,
        messages=[], **LABELS,
    )  # fmt: skip


@router.post(BASE + "/{endpoint_id}/deliveries/{delivery_id}/resend")
async def resend_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, visitor: CustomerPost, runtime: RuntimeDep
) -> Response:
    resent = await runtime.webhooks.resend(visitor.user.customer_id, delivery_id)
    return _back(endpoint_id, "resent" if resent else "busy")
