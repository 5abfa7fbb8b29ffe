"""``contracts.notifications.INVOICE_EMAILS_PATH`` (internal token): what became of each
transmitted invoice's e-mail — the portal's invoice view (a token bound to the invoice's
tenant), the admin app and on-call (any internal token) — and on-call's retry of a failed one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from contracts.notifications import (
    INVOICE_EMAILS_PATH,
    InvoiceEmailState,
    InvoiceEmailView,
)
from kit.db import transaction
from kit.errors import Forbidden
from kit.http import check_text_params
from notifier.deps import InternalCaller, InvoiceEmailsDep, Runtime

router = APIRouter(prefix=INVOICE_EMAILS_PATH, tags=["invoice e-mails"])
TenantId = Annotated[str, Path(min_length=1, max_length=64)]
Uid = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9]+$")]


def _same_tenant(claims: dict[str, Any], tenant_id: str | None) -> None:
    """A token bound to a tenant (``tid``) reads that tenant's invoices only."""
    bound = claims.get("tid")
    if bound is not None and str(bound) != tenant_id:
        raise Forbidden("the internal token is bound to another tenant")


@router.get("", response_model=list[InvoiceEmailView])
async def list_invoice_emails(
    caller: InternalCaller,
    runtime: Runtime,
    emails: InvoiceEmailsDep,
    tenant_id: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[list[InvoiceEmailState] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[InvoiceEmailView]:
    """Newest first: a customer's (``tenant_id``), or everybody's in the given ``state``s
    (on-call: ``state=failed&state=unknown``)."""
    check_text_params(tenant_id=tenant_id)
    _same_tenant(caller, tenant_id)
    async with transaction(runtime.engine) as conn:
        return await emails.views(conn, tenant_id, state, limit)


@router.get("/{tenant_id}/{uid}", response_model=InvoiceEmailView)
async def get_invoice_email(
    tenant_id: TenantId, uid: Uid, caller: InternalCaller, runtime: Runtime,
    emails: InvoiceEmailsDep,
) -> InvoiceEmailView:  # fmt: skip
    """404 until the invoice was seen transmitted."""
    check_text_params(tenant_id=tenant_id)
    _same_tenant(caller, tenant_id)
    async with transaction(runtime.engine) as conn:
        return await emails.view(conn, tenant_id, uid.upper())


@router.post("/{tenant_id}/{uid}/retry", response_model=InvoiceEmailView)
async def retry_invoice_email(
    tenant_id: TenantId, uid: Uid, caller: InternalCaller, runtime: Runtime,
    emails: InvoiceEmailsDep,
) -> InvoiceEmailView:  # fmt: skip
    """Resolve a failed one again (its invoice could not be read); 409 in any other state."""
    check_text_params(tenant_id=tenant_id)
    _same_tenant(caller, tenant_id)
    async with transaction(runtime.engine) as conn:
        return await emails.retry(conn, tenant_id, uid.upper())
