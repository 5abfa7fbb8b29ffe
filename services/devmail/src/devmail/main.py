"""The devmail application: ``create_app`` wires the stores, the SMS API, the page and, in the
lifespan, the SMTP server and the delivery-report sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from devmail.admin.endpoints import router as admin_router
from devmail.faults import Faults
from devmail.mailbox.server import MailboxHandler, bound_port, start_smtp
from devmail.page.endpoints import router as page_router
from devmail.settings import DevmailSettings
from devmail.sms.endpoints import router as sms_router
from devmail.sms.reports import ReportSender
from devmail.sms.service import SmsProvider
from devmail.state import Received
from kit.app import create_service_app

SERVICE = "devmail"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: DevmailSettings = app.state.settings
    handler = MailboxHandler(app.state.received, app.state.faults, settings.hang_max_s)
    smtp = await start_smtp(handler, settings.bind_host, settings.smtp_port)
    # With port 0 (tests) the page and the tests need the port actually bound.
    settings.smtp_port = bound_port(smtp)
    try:
        yield
    finally:
        smtp.close()
        await app.state.sms.reports.close()


def create_app(settings: DevmailSettings | None = None) -> FastAPI:
    settings = settings or DevmailSettings()
    app = create_service_app(SERVICE, lifespan=_lifespan)
    app.state.settings = settings
    app.state.received = Received(settings.keep)
    app.state.faults = Faults()
    reports = ReportSender(settings.dlr_username, settings.dlr_password, settings.dlr_delay_s)
    app.state.sms = SmsProvider(
        app.state.received, app.state.faults, reports, settings.sms_api_key,
        settings.approved_senders(),
    )  # fmt: skip
    app.include_router(page_router)
    app.include_router(sms_router)
    if settings.admin_enabled:
        app.include_router(admin_router)
    return app
