"""The admin app's VAT-registry fill of a new user (VAT-1, with the provider's GSIS codes) and
its list of connection-loss notices whose invoice has not arrived (issue 10)."""

from __future__ import annotations

import uuid

from playwright.async_api import Page, expect

from harness.browser import Shots
from harness.platform import Platform, wait_until
from testkit.invoices import ISSUER_VAT, sample_invoice

from .flows import log_in


async def test_new_user_filled_in_from_the_vat_registry(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    await log_in(page, platform, operator)
    await page.goto(f"{platform.admin_url}/users/new")
    await page.fill("#vat", "EL090000045")
    await page.get_by_role("button", name="Συμπλήρωση από το μητρώο ΑΦΜ").click()
    await expect(page.locator("#company_name")).to_have_value("ΔΟΚΙΜΑΣΤΙΚΟΣ ΠΕΛΑΤΗΣ ΕΜΠΟΡΙΚΗ ΕΠΕ")
    await expect(page.locator("#address")).to_have_value("ΕΡΜΟΥ 12, 10563 ΑΘΗΝΑ")
    await expect(page.locator("#vat")).to_have_value("090000045")
    await expect(page.locator(".registry-fill [role=status]")).to_contain_text("Δ΄ ΑΘΗΝΩΝ")
    await shots.take(page, "new-user-registry", both=False)

    await page.fill("#vat", "090000046")
    await page.get_by_role("button", name="Συμπλήρωση από το μητρώο ΑΦΜ").click()
    await expect(page.locator("#vat-problem")).to_contain_text("check digit")
    await page.fill("#vat", "804000005")
    await page.get_by_role("button", name="Συμπλήρωση από το μητρώο ΑΦΜ").click()
    await expect(page.locator(".registry-fill [role=status]")).to_contain_text(
        "Δεν βρέθηκε φορολογούμενος"
    )
    calls = await platform.aade.registry_calls()
    assert "090000046" not in calls["by_vat"]  # a wrong check digit costs no look-up
    assert calls["by_username"].get("PROVIDER01", 0) >= 2  # the provider's own codes


async def test_unmatched_notices_are_listed_for_operators(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    body = {"notices": [{"vat": ISSUER_VAT, "series": "ΖΖ", "number": "77"}]}
    answer = await platform.gateway.post(
        "/connection-loss-notices", json=body, headers=customer.headers
    )
    receipt = answer.json()["receipts"][0]["receipt"]
    await log_in(page, platform, operator)
    await page.goto(f"{platform.admin_url}/connection-loss-notices")
    await expect(page.locator("#notices-table")).to_have_count(0)  # not 24 hours old yet
    await page.fill("#hours", "0")
    await page.get_by_role("button", name="Εμφάνιση").click()
    row = page.locator("#notices-table tr", has_text=receipt)
    await expect(row).to_contain_text("ΖΖ")
    await expect(row).to_contain_text("API")
    await shots.take(page, "connection-loss-notices")


async def test_the_users_page_shows_invoices_e_mailed_to_recipients(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    body = sample_invoice(series="ADM", pnr01=f"ADM-{uuid.uuid4().hex}", cp_vat="090000045")
    issued = await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
    uid = issued.json()["data"]["uid"]
    await log_in(page, platform, operator)
    row = page.locator("#invoice-emails-table tr", has_text=uid)

    async def shown_sent() -> bool:
        await page.goto(f"{platform.admin_url}/users/{customer.tenant_id}")
        return (
            await page.locator('#invoice-emails-table tr[data-state="sent"]', has_text=uid).count()
            == 1
        )

    await wait_until(shown_sent, within=30, interval=1.0)
    await expect(row).to_contain_text("e-invoices@demo-client.example.gr")
    await expect(row).to_contain_text("δηλωμένη στην ΑΑΔΕ")
