"""The internal API (internal token): the admin app's list per user (and a customer's invoice
e-mails), one message, and on-call's deliberate resend
(``contracts.notifications.NOTIFICATIONS_PATH``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from contracts.notifications import NOTIFICATIONS_PATH, MessageState, NotificationView
from kit.db import transaction
from kit.errors import Forbidden, InvalidRequest
from kit.http import check_text_params
from notifier.deps import InternalCaller, Messages, Runtime
from notifier.messages.schemas import MessageDetails

router = APIRouter(prefix=NOTIFICATIONS_PATH, tags=["notifications"])
NotificationId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[NotificationView])
async def list_notifications(
    caller: InternalCaller,
    runtime: Runtime,
    messages: Messages,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    tenant_id: Annotated[str | None, Query(max_length=64)] = None,
    uid: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[list[MessageState] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[NotificationView]:
    """A user's own messages, newest first (``customer_id``); a customer's invoice e-mails,
    newest first (``tenant_id``, of one invoice with ``uid``); or every message in the given
    ``state``s, oldest first (on-call: ``state=unknown&state=failed``)."""
    check_text_params(customer_id=customer_id, tenant_id=tenant_id, uid=uid)
    if caller.get("tid") is not None and str(caller["tid"]) != tenant_id:
        raise Forbidden("a token bound to a tenant lists that tenant's invoice e-mails only")
    async with transaction(runtime.engine) as conn:
        if customer_id is not None:
            return await messages.for_customer(conn, customer_id, limit)
        if tenant_id is not None:
            return await messages.for_invoices(conn, tenant_id, uid, limit)
        if state:
            return await messages.in_states(conn, list(state), limit)
    raise InvalidRequest(["customer_id, tenant_id or state: one of them is required"])


@router.get("/{notification_id}", response_model=NotificationView)
async def get_notification(
    notification_id: NotificationId, _: InternalCaller, runtime: Runtime, messages: Messages
) -> NotificationView:
    check_text_params(notification_id=notification_id)
    async with transaction(runtime.engine) as conn:
        return await messages.view(conn, notification_id)


@router.get("/{notification_id}/details", response_model=MessageDetails)
async def notification_details(
    notification_id: NotificationId, _: InternalCaller, runtime: Runtime, messages: Messages
) -> MessageDetails:
    """The message with every attempt (on-call's view; never a secret)."""
    check_text_params(notification_id=notification_id)
    async with transaction(runtime.engine) as conn:
        return await messages.details(conn, notification_id)


@router.post("/{notification_id}/resend", response_model=NotificationView)
async def resend_notification(
    notification_id: NotificationId,
    _: InternalCaller,
    runtime: Runtime,
    messages: Messages,
    force: bool = False,
) -> NotificationView:
    """Send a failed message again (same id); an unknown one only with ``force=true``, after
    on-call checked it did not arrive (docs/runbooks/notifications.md). 409 otherwise."""
    check_text_params(notification_id=notification_id)
    async with transaction(runtime.engine) as conn:
        return await messages.resend(conn, notification_id, force=force)
