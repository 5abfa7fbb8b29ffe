"""The invoice e-mailed to its recipient (SPEC API-10, seed 002 ``einv00``) on the whole real
platform: invoices issued through the gateway, the address the counterpart declared to AADE
(aade-sim's RequestReceiverInfo through mydata-sync), the PDF as portal-web prints it, the
e-mail received by devmail's SMTP server — exactly once each — and what the portal's invoice
view and the notifier's internal API say was sent, where and when.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
import pypdf
import pytest

from contracts.events import InvoiceRecipientEmailed
from contracts.notifications import INVOICE_EMAILS_PATH, invoice_email_path
from harness.platform import Customer, Platform, internal_headers, wait_until
from kit.messaging import EVENTS_EXCHANGE
from kit.settings import DEV_INTERNAL_TOKEN_SECRET

from . import invoices
from .calls import assert_transmitted, issue, look_up

DECLARING_VAT = "090000045"  # aade-sim's receivers: it declared the address below
DECLARED = "e-invoices@demo-client.example.gr"
SILENT_VAT = "900000503"  # a valid Greek VAT number that declared nothing
ALTERNATIVE = "accounts@erp-chosen.example.gr"
NEW_PASSWORD = "Portal-Pass-42!"
FINAL_WITHIN_S = 30.0


@dataclass
class Mailroom:
    """devmail's ledger and the notifier's own account of each invoice's e-mail."""

    platform: Platform
    devmail: httpx.AsyncClient
    notifier: httpx.AsyncClient
    emitted: list[dict[str, Any]] = field(default_factory=list)

    async def outcome(self, tenant_id: str, uid: str, *states: str) -> dict[str, Any]:
        """The notifier's view of the invoice's e-mail once it is in one of ``states``."""
        found: dict[str, Any] = {}

        async def when_final() -> bool:
            response = await self.notifier.get(invoice_email_path(tenant_id, uid))
            if response.status_code == 404:
                return False
            response.raise_for_status()
            found.update(response.json())
            return found["state"] in states

        await wait_until(when_final, within=FINAL_WITHIN_S, interval=0.2)
        return found

    async def emails(self, notification_id: str) -> list[dict[str, Any]]:
        response = await self.devmail.get("/_admin/messages")
        response.raise_for_status()
        mails = response.json()["emails"]
        return [m for m in mails if m["message_id"].startswith(f"<{notification_id}@")]

    async def pdf_text(self, mail: dict[str, Any]) -> str:
        (attachment,) = mail["attachments"]
        assert attachment["content_type"] == "application/pdf"
        response = await self.devmail.get(f"/_admin/messages/{mail['seq']}/attachments/0")
        response.raise_for_status()
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
async def mailroom(platform: Platform) -> AsyncIterator[Mailroom]:
    headers = internal_headers(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", to="notifier")
    async with (
        httpx.AsyncClient(base_url=platform.devmail_url, timeout=30) as devmail,
        httpx.AsyncClient(base_url=platform.notifier_url, headers=headers, timeout=30) as notifier,
        _listening(platform) as emitted,
    ):
        yield Mailroom(platform, devmail, notifier, emitted)


@asynccontextmanager
async def _listening(platform: Platform) -> AsyncIterator[list[dict[str, Any]]]:
    """Every ``invoice.recipient_emailed`` the notifier publishes, as a subscriber sees it."""
    emitted: list[dict[str, Any]] = []
    amqp_url = platform.app("notifier").state.settings.amqp_url
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(EVENTS_EXCHANGE, ensure=False)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key=InvoiceRecipientEmailed.TYPE)

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                emitted.append(json.loads(message.body)["payload"])

        await queue.consume(keep)
        yield emitted


def _to(vat: str, **einv00: Any) -> invoices.Body:
    return invoices.sale(cp_vat=vat, einv00=einv00 or None)


async def _the_one_email(room: Mailroom, view: dict[str, Any]) -> dict[str, Any]:
    """Exactly one e-mail for the invoice, also after the sweeps had their chance to repeat it."""
    await asyncio.sleep(1.5)  # three sweeps of the notifier (0.5 s each)
    mails = await room.emails(view["notification_id"])
    assert len(mails) == 1, mails
    return mails[0]


async def test_a_transmitted_invoice_reaches_the_declared_address_once_with_its_pdf(
    platform: Platform, mailroom: Mailroom
) -> None:
    customer = await platform.create_customer(calls=5)
    data = await issue(platform, customer, _to(DECLARING_VAT, p01=2, p010=ALTERNATIVE))
    assert_transmitted(data)
    view = await mailroom.outcome(customer.tenant_id, data["uid"], "sent")
    assert (view["to"], view["source"], view["language"]) == (DECLARED, "declared", "el")
    mail = await _the_one_email(mailroom, view)
    assert mail["rcpt_tos"] == [DECLARED]
    assert mail["subject"].startswith(f"Παραστατικό E2E {data['aa']} από ")
    assert mail["language"] == "el"
    for shown in (f"ΜΑΡΚ: {data['mark']}", f"Συμβολοσειρά αυθεντικοποίησης: {data['authcode']}",
                  f"{platform.portal_url}/search?auth_code={data['authcode']}"):  # fmt: skip
        assert shown in mail["text"], shown
    pdf = await mailroom.pdf_text(mail)
    assert data["mark"] in pdf and data["authcode"] in pdf and "Τιμολόγιο Πώλησης" in pdf
    assert mail["attachments"][0]["filename"] == f"E2E-{data['aa']}.pdf"
    # Announced once, for the webhooks: who got it and when.
    await wait_until(lambda: _emitted(mailroom, data["uid"]), within=10)
    (event,) = [e for e in mailroom.emitted if e["uid"] == data["uid"]]
    assert (event["to"], event["notification_id"]) == (DECLARED, view["notification_id"])
    assert event["tenant_id"] == customer.tenant_id and event["invoice_id"] == data["id"]
    page = await _invoice_page(platform, customer, data["uid"])
    assert f"Στάλθηκε με e-mail στη διεύθυνση {DECLARED}" in page
    assert "η διεύθυνση που δήλωσε ο λήπτης στην ΑΑΔΕ" in page


async def _emitted(room: Mailroom, uid: str) -> bool:
    return any(e["uid"] == uid for e in room.emitted)


async def test_p01_2_sends_to_p010_when_nothing_is_declared_and_p02_1_writes_english(
    platform: Platform, mailroom: Mailroom
) -> None:
    customer = await platform.create_customer(calls=5)
    data = await issue(platform, customer, _to(SILENT_VAT, p01=2, p010=ALTERNATIVE, p02=1))
    view = await mailroom.outcome(customer.tenant_id, data["uid"], "sent")
    assert (view["to"], view["source"], view["language"]) == (ALTERNATIVE, "alternative", "en")
    mail = await _the_one_email(mailroom, view)
    assert mail["rcpt_tos"] == [ALTERNATIVE]
    assert mail["subject"].startswith(f"Invoice E2E {data['aa']} from ")
    assert f"MARK: {data['mark']}" in mail["text"]
    assert f"Authentication string: {data['authcode']}" in mail["text"]
    assert "Total amount: €124.00" in mail["text"]
    pdf = await mailroom.pdf_text(mail)
    assert data["mark"] in pdf and data["authcode"] in pdf and "Sales invoice" in pdf


async def test_p02_2_writes_the_language_p020_names(platform: Platform, mailroom: Mailroom) -> None:
    customer = await platform.create_customer(calls=5)
    data = await issue(platform, customer, _to(DECLARING_VAT, p02=2, p020="en"))
    view = await mailroom.outcome(customer.tenant_id, data["uid"], "sent")
    assert (view["to"], view["language"]) == (DECLARED, "en")
    mail = await _the_one_email(mailroom, view)
    assert mail["subject"].startswith("Invoice ") and mail["language"] == "en"


async def test_nothing_declared_and_no_alternative_allowed_sends_nothing_and_says_why(
    platform: Platform, mailroom: Mailroom
) -> None:
    customer = await platform.create_customer(calls=5)
    # p010 given, but p01 = 1 allows only the declared address.
    data = await issue(platform, customer, _to(SILENT_VAT, p01=1, p010=ALTERNATIVE))
    view = await mailroom.outcome(customer.tenant_id, data["uid"], "skipped")
    assert (view["reason"], view["to"], view["notification_id"]) == (
        "no_declared_address", None, None
    )  # fmt: skip
    await asyncio.sleep(1.5)
    response = await mailroom.devmail.get("/_admin/messages")
    assert not [m for m in response.json()["emails"] if ALTERNATIVE in m["rcpt_tos"]
                and data["aa"] in m["subject"]]  # fmt: skip
    listed = await mailroom.notifier.get(
        INVOICE_EMAILS_PATH, params={"tenant_id": customer.tenant_id}
    )
    assert [(v["uid"], v["state"]) for v in listed.json()] == [(data["uid"], "skipped")]
    page = await _invoice_page(platform, customer, data["uid"])
    assert "ο λήπτης δεν έχει δηλώσει διεύθυνση e-mail στην ΑΑΔΕ" in page


async def test_an_invoice_deferred_in_a_blackhole_is_emailed_once_after_recovery(
    platform: Platform, mailroom: Mailroom
) -> None:
    customer = await platform.create_customer(calls=5)
    await platform.aade.set_fault("blackhole")
    try:
        deferred = await issue(platform, customer, _to(DECLARING_VAT))
        assert deferred["transmissionFailure"] == 2 and deferred["einv03"]["ok"] == 0
        missing = await mailroom.notifier.get(
            invoice_email_path(customer.tenant_id, deferred["uid"])
        )
        assert missing.status_code == 404  # nothing is e-mailed before myDATA has it
    finally:
        await platform.aade.set_fault("none")
    real = await when_final(platform, customer, deferred["authcode"])
    assert_transmitted(real)
    view = await mailroom.outcome(customer.tenant_id, real["uid"], "sent")
    mail = await _the_one_email(mailroom, view)
    assert mail["rcpt_tos"] == [DECLARED]
    assert f"ΜΑΡΚ: {real['mark']}" in mail["text"]
    pdf = await mailroom.pdf_text(mail)
    assert real["mark"] in pdf and real["authcode"] in pdf
    assert await platform.aade.count(real["uid"]) == 1


async def when_final(platform: Platform, customer: Customer, code: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def done() -> bool:
        found.update(await look_up(platform, customer, auth_code=code))
        return bool(found["einv03"]["error_code"] != "mydata_sync_005")

    await wait_until(done, within=FINAL_WITHIN_S, interval=0.2)
    return found


# --- the portal's invoice view, over plain HTTP ---------------------------------------------


async def _invoice_page(platform: Platform, customer: Customer, uid: str) -> str:
    """The customer's view of one invoice (after the first login's steps), as text."""
    async with httpx.AsyncClient(base_url=platform.portal_url, timeout=30) as portal:
        await _first_login(portal, platform.portal_url, customer)
        response = await portal.get(f"/invoices/{uid}")
        assert response.status_code == 200, response.text[:500]
        return re.sub(r"\s+", " ", response.text)


async def _first_login(portal: httpx.AsyncClient, origin: str, customer: Customer) -> None:
    steps = (
        ("/login", {"username": customer.username, "password": customer.password}),
        ("/first-login/password", {"current_password": customer.password,
                                   "new_password": NEW_PASSWORD,
                                   "repeat_password": NEW_PASSWORD}),
        ("/first-login/terms", {"contract": "1", "usage": "1"}),
    )  # fmt: skip
    for path, form in steps:
        token = await _form_token(portal, path)
        response = await portal.post(
            path, data=form | {"csrf_token": token}, headers={"Origin": origin}
        )
        assert response.status_code == 303, (path, response.text[:500])


async def _form_token(portal: httpx.AsyncClient, path: str) -> str:
    page = (await portal.get(path)).text
    found = re.search(
        rf'action="{re.escape(path)}"[^>]*>\s*<input type="hidden" name="csrf_token" '
        r'value="([^"]+)"',
        page,
    )
    assert found, page[:1500]
    return found.group(1)
