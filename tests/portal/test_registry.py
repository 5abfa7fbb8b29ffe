"""VAT registry look-ups in the portal (SPEC VAT-1, seed 003): the codes asked for on the first
look-up, kept only once they worked, then used for every look-up; GSIS's refusals explained."""

from __future__ import annotations

from playwright.async_api import Page, expect

from harness.platform import Platform

from .flows import Shots, first_login

CODES = ("DEVCODES01", "dev-only-codes-password")  # aade-sim's RgWsPublic2 dev codes
DEMO, CLIENT, STOPPED = "094420307", "090000045", "801000000"


async def _look_up(page: Page, vat: str) -> None:
    await page.locator("#vat").fill(vat)
    await page.locator("form.search-form button").click()


async def test_first_look_up_asks_for_codes_then_finds_companies(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=1)
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/vat-registry")
    await _look_up(page, DEMO)
    await expect(page.locator("#codes-form")).to_be_visible()
    await page.locator("#gsis-username").fill(CODES[0])
    await page.locator("#gsis-password").fill("wrong-password")
    await page.locator("#codes-form button").click()
    await expect(page.get_by_role("alert")).to_contain_text("απέρριψε")
    await expect(page.locator(".codes-status")).to_contain_text("Δεν έχουν αποθηκευτεί")

    await page.locator("#gsis-username").fill(CODES[0])
    await page.locator("#gsis-password").fill(CODES[1])
    await page.locator("#codes-form button").click()
    await expect(page.locator("#entry-title")).to_have_text("DEMO ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ ΛΟΓΙΣΜΙΚΟΥ")
    await expect(page.locator(".facts")).to_contain_text("ΛΕΩΦ ΣΥΓΓΡΟΥ 100, 11741 ΑΘΗΝΑ")
    await expect(page.locator("table.activities tbody tr")).to_have_count(3)
    await expect(page.locator(".codes-status")).to_contain_text("Αποθηκεύτηκαν")
    await _look_up(page, DEMO)  # a GET again, answered from the cache: the page to keep
    await expect(page.locator(".registry-entry")).to_contain_text("χωρίς νέα κλήση")
    await shots.take(page, "vat-registry")

    await _look_up(page, STOPPED)
    await expect(page.locator(".registry-entry")).to_contain_text("απενεργοποιημένος")
    await _look_up(page, "804000005")
    await expect(page.get_by_role("alert")).to_contain_text("Δεν βρέθηκε φορολογούμενος")
    await _look_up(page, "094420308")
    await expect(page.get_by_role("alert")).to_contain_text("ψηφίο ελέγχου")
    calls = await platform.aade.registry_calls()
    assert "094420308" not in calls["by_vat"]  # a wrong check digit is never sent


async def test_registry_outage_and_limits_are_explained_in_english(
    platform: Platform, page: Page
) -> None:
    customer = await platform.create_customer(calls=1)
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/vat-registry?lang=en")
    await _look_up(page, CLIENT)
    await page.locator("#gsis-username").fill(CODES[0])
    await page.locator("#gsis-password").fill(CODES[1])
    await page.locator("#codes-form button").click()
    await expect(page.locator("#entry-title")).to_have_text("ΔΟΚΙΜΑΣΤΙΚΟΣ ΠΕΛΑΤΗΣ ΕΜΠΟΡΙΚΗ ΕΠΕ")

    await platform.aade.set_registry(
        error_code="RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED", times=1
    )
    await _look_up(page, DEMO)
    await expect(page.get_by_role("alert")).to_contain_text("look-up limit")
    await platform.aade.set_registry(failure="soap_fault", times=1)
    await _look_up(page, STOPPED)
    await expect(page.get_by_role("alert")).to_contain_text("not answering")
    await _look_up(page, STOPPED)
    await expect(page.locator("#entry-title")).to_have_text("ΔΟΚΙΜΑΣΤΙΚΗ ΠΑΥΣΗ ΙΚΕ")
