"""FastAPI dependencies: the internal caller's token and the running service's parts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from kit.auth import bearer_token
from kit.errors import ServiceUnavailable
from notifier.messages.service import MessageService
from notifier.recipients.service import InvoiceEmails
from notifier.reports.service import ReportService
from notifier.runtime import NotifierRuntime


async def get_runtime(request: Request) -> NotifierRuntime:
    runtime: NotifierRuntime = request.app.state.runtime
    # Until the schema is migrated nothing can be read or recorded.
    if not runtime.schema_ready.is_set():
        raise ServiceUnavailable("the notify database is not ready yet")
    return runtime


async def require_internal(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    """Claims of a valid internal token addressed to the notifier (audience
    ``einvoicing-internal:notifier``), else 401."""
    runtime: NotifierRuntime = request.app.state.runtime
    return runtime.internal_tokens.verify(bearer_token(authorization))


async def get_messages(runtime: Annotated[NotifierRuntime, Depends(get_runtime)]) -> MessageService:
    return runtime.messages


async def get_reports(runtime: Annotated[NotifierRuntime, Depends(get_runtime)]) -> ReportService:
    return runtime.reports


async def get_invoice_emails(
    runtime: Annotated[NotifierRuntime, Depends(get_runtime)],
) -> InvoiceEmails:
    return runtime.invoice_emails


Runtime = Annotated[NotifierRuntime, Depends(get_runtime)]
InternalCaller = Annotated[dict[str, Any], Depends(require_internal)]
Messages = Annotated[MessageService, Depends(get_messages)]
Reports = Annotated[ReportService, Depends(get_reports)]
InvoiceEmailsDep = Annotated[InvoiceEmails, Depends(get_invoice_emails)]
