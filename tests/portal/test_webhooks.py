"""Webhooks in the portal (issue 10, item 4), in a real browser against the whole platform and a
real receiver on loopback: add an endpoint (a refused address first), the secret shown once,
deliveries of invoices issued through the gateway checked with it, the delivery log with a
failed attempt and «Επαναποστολή» keeping the event id, the test event, a rotation with both
signatures, disable and delete. Screenshots of every page in Greek and English."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from harness.platform import Platform
from testkit.receiver import Received, WebhookReceiver
from webhooks.signing import verify

from .flows import Shots, first_login, issue, sale

RESEND_TRIES = 10


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    started = WebhookReceiver()
    await started.start()
    yield started
    await started.stop()


def _uid(received: Received) -> str | None:
    uid: str | None = json.loads(received.body)["data"].get("uid")
    return uid


def _types(receiver: WebhookReceiver) -> list[str]:
    return [json.loads(r.body)["type"] for r in receiver.received]


async def _add_endpoint(page: Page, base: str, url: str) -> str:
    """Through the form, a refused address first; the secret the page shows once."""
    await page.goto(base + "/account")
    await page.get_by_role("link", name="Webhooks").click()
    await page.wait_for_url("**/account/webhooks")
    await page.get_by_label("Διεύθυνση (URL)").fill("https://user:pw@erp.example.gr/hooks")
    await page.get_by_role("button", name="Προσθήκη", exact=True).click()
    await expect(page.get_by_role("alert")).to_contain_text("όνομα χρήστη ή κωδικό")
    await page.get_by_label("Διεύθυνση (URL)").fill(url)
    await page.get_by_label("Περιγραφή (προαιρετική)").fill("ERP λογιστηρίου")
    await page.get_by_role("button", name="Προσθήκη", exact=True).click()
    secret = await page.get_by_label("Μυστικό υπογραφής").input_value()
    assert secret.startswith("whsec_")
    return secret


async def _resend_newest(page: Page, endpoint_url: str) -> None:
    """«Επαναποστολή» on the newest delivery while the service keeps retrying it: a page loaded
    during an attempt has no button, and a click that meets one is told "busy" (as a customer
    would be); both are tried again on a fresh page."""
    for _ in range(RESEND_TRIES):
        await page.goto(endpoint_url)
        newest = page.locator("table.deliveries tbody tr").first
        button = newest.get_by_role("button", name="Επαναποστολή")
        if await button.count():
            await button.click()
            await page.wait_for_url(re.compile(r"done=(resent|busy)$"))
            if page.url.endswith("done=resent"):
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the resend met an attempt in flight {RESEND_TRIES} times")


async def test_endpoint_secret_log_resend_rotation_and_delete(
    platform: Platform, page: Page, shots: Shots, receiver: WebhookReceiver
) -> None:
    customer = await platform.create_customer(calls=5)
    base = platform.portal_url
    await first_login(page, base, customer)
    await page.goto(base + "/account/webhooks")
    await shots.take(page, "webhooks-empty")
    secret = await _add_endpoint(page, base, receiver.url)
    await shots.take(page, "webhook-secret", both=False)
    await page.get_by_role("link", name="Συνέχεια στη διεύθυνση").click()
    endpoint_url = page.url

    data = await issue(platform, customer, sale())
    await receiver.wait_for(lambda r: "invoice.transmitted" in _types(receiver))
    assert json.loads(receiver.received[0].body)["data"]["mark"] == data["mark"]
    await page.get_by_role("button", name="Αποστολή δοκιμαστικού συμβάντος").click()
    await expect(page.get_by_role("status").first).to_contain_text("δοκιμαστικό")
    await receiver.wait_for(lambda r: "webhook.test" in _types(receiver))

    # The ERP's server has a bad moment, which lasts until the resend: the page always shows
    # the failure (the service keeps retrying every 0.5 s meanwhile).
    receiver.default_status = 503
    await issue(platform, customer, sale())
    await receiver.wait_for(lambda r: len(r) >= 4)
    await page.goto(endpoint_url)
    failing = page.locator("table.deliveries tbody tr").first
    await expect(failing.locator("td").nth(4)).to_have_text("503")
    await shots.take(page, "webhook-endpoint")
    before = len(receiver.received)
    await _resend_newest(page, endpoint_url)
    await expect(page.get_by_role("status").first).to_contain_text("ίδιο αναγνωριστικό")
    receiver.default_status = 200
    await receiver.wait_for(lambda r: len(r) > before)
    resent_id = receiver.received[-1].headers["Webhook-Id"]
    assert resent_id == receiver.received[2].headers["Webhook-Id"]  # the same event again
    await page.goto(endpoint_url)
    await (
        page.locator("table.deliveries tbody tr")
        .first.get_by_role("link", name="Λεπτομέρειες")
        .click()
    )
    await expect(page.locator("table.attempts tbody tr").first).to_contain_text("503")
    await shots.take(page, "webhook-delivery")

    await page.goto(endpoint_url + "?lang=en")
    await page.get_by_role("button", name="Rotate secret").click()
    new_secret = await page.get_by_label("Signing secret").input_value()
    await expect(page.get_by_text("The previous secret keeps signing")).to_be_visible()
    await shots.take(page, "webhook-secret", both=False)
    third = await issue(platform, customer, sale())
    await receiver.wait_for(lambda r: any(_uid(x) == third["uid"] for x in r))
    last = next(x for x in receiver.received if _uid(x) == third["uid"])
    assert verify(secret, last.headers, last.body) and verify(new_secret, last.headers, last.body)
    assert all(verify(secret, r.headers, r.body) for r in receiver.received)
    await page.goto(endpoint_url + "?lang=el")
    await expect(page.locator("table.secrets tbody tr")).to_have_count(2)
    await page.get_by_role("button", name="Ολοκλήρωση εναλλαγής").click()
    await expect(page.locator("table.secrets tbody tr")).to_have_count(1)

    await page.get_by_role("button", name="Απενεργοποίηση").click()
    await expect(page.locator(".endpoint-state")).to_contain_text("Ανενεργή")
    await page.goto(base + "/account/webhooks")
    await expect(page.locator("table.webhooks tbody tr")).to_have_count(1)
    await shots.take(page, "webhooks")
    await page.goto(endpoint_url)
    await page.get_by_label("Ναι, διαγραφή αυτής της διεύθυνσης").check()
    await page.get_by_role("button", name="Διαγραφή διεύθυνσης").click()
    await page.wait_for_url("**/account/webhooks?done=deleted")
    await expect(page.locator("table.webhooks")).to_have_count(0)
