"""An invoice whose e-mail cannot be made yet (invoice-service, mydata-sync and portal-web all
unreachable here): recorded once however often its event comes, retried by the sweep with its
reason, never sent, never given up; what the internal API says of it, and to whom.

The happy paths run on the whole platform (tests/e2e/test_recipient_email.py), the faults in
tests/faults/test_f11_recipient_email.py."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from contracts.events import InvoiceTransmitted, envelope_of
from contracts.notifications import INVOICE_EMAILS_PATH, invoice_email_path
from kit.auth import TokenCodec, internal_audience
from kit.messaging import Broker
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from testkit.pg_instance import free_port

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, NotifierRunner, SettingsFactory


def transmitted(tenant_id: str) -> InvoiceTransmitted:
    return InvoiceTransmitted(
        tenant_id=tenant_id, invoice_id=7, uid=uuid.uuid4().hex.upper(), mark="400000000000123",
        authentication_code="A1B2C3", qr_url=None, response_xml=None, request_xml=None,
    )  # fmt: skip


def bound_to(tenant_id: str) -> dict[str, str]:
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("notifier"))
    token = codec.issue("portal-web", 300, tid=tenant_id, vats=[])[0]
    return {"Authorization": f"Bearer {token}"}


async def test_an_invoice_waits_for_its_sources_recorded_once_and_never_sent(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    broker: Broker,
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = await notifier_settings(
        invoice_service_url=nowhere, mydata_sync_url=nowhere, portal_url=nowhere
    )
    tenant_id = f"t{uuid.uuid4().hex[:8]}"
    event = transmitted(tenant_id)
    async with running(settings) as notifier:
        for _ in range(3):  # a relay's retry and a duplicated delivery: one invoice
            await broker.publish(envelope_of(event, tenant_id=tenant_id))
        path = invoice_email_path(tenant_id, event.uid)

        async def waiting() -> bool:
            response = await notifier.http.get(path)
            return response.status_code == 200 and response.json()["detail"] is not None

        await _until(waiting)
        await notifier.query(
            "UPDATE invoice_emails SET next_attempt_at = now() WHERE uid = $1", event.uid
        )
        await notifier.sweep()
        (row,) = await notifier.query("SELECT * FROM invoice_emails WHERE uid = $1", event.uid)
        view = (await notifier.http.get(path)).json()
        forbidden = await notifier.http.get(path, headers=bound_to("another-tenant"))
        own = await notifier.http.get(path, headers=bound_to(tenant_id))
        listed = await notifier.http.get(INVOICE_EMAILS_PATH, params={"state": "pending"})
        retry = await notifier.http.post(path + "/retry")
    assert (row["state"], row["attempts"], row["notification_id"]) == ("resolving", 2, None)
    assert "ConnectError" in row["detail"] and row["next_attempt_at"] is not None
    assert (view["state"], view["to"], view["invoice_id"]) == ("pending", None, 7)
    assert forbidden.status_code == 403 and own.status_code == 200
    assert event.uid in [v["uid"] for v in listed.json()]
    assert retry.status_code == 409  # only a failed one is retried by hand
    assert (await devmail.messages())["emails"] == []


async def test_an_invoice_not_seen_transmitted_is_404(
    running: NotifierRunner, notifier_settings: SettingsFactory
) -> None:
    async with running(await notifier_settings()) as notifier:
        response = await notifier.http.get(invoice_email_path("nobody", "ABC123"))
    assert response.status_code == 404


async def _until(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while True:
            if await check():
                return
            await asyncio.sleep(0.05)
