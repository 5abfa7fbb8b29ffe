"""Public pages (PORTAL-1, -6, API-8): search by a real and a temporary authentication string,
the seed-001 temporary QR before and after its invoice arrives, and escaping."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from playwright.async_api import Page, expect

from harness.platform import Platform, wait_until
from mydata.identifiers import temp_qr_params

from .flows import Shots, issue, sale, searchable, when_final


async def test_guest_finds_an_invoice_by_its_authentication_string(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    data = await issue(platform, customer, sale())
    await searchable(platform, data["authcode"])
    await page.goto(platform.portal_url + "/")
    await shots.take(page, "search")
    await page.get_by_label("Αναγνωριστικό").fill(data["authcode"])
    await page.get_by_role("button", name="Αναζήτηση").click()
    invoice = page.locator("article.invoice-document")
    await expect(invoice.locator(".mark")).to_have_text(data["mark"])
    await expect(invoice.locator(".uid")).to_have_text(data["uid"])
    await expect(invoice.locator(".authcode")).to_have_text(data["authcode"])
    await shots.take(page, "search-found", both=False)
    await page.get_by_role("link", name="EN", exact=True).click()
    await expect(page.locator("article.invoice-document h2.doc-type")).to_have_text("Sales invoice")
    await shots.take(page, "search-found", both=False)


async def test_an_unknown_string_says_so(platform: Platform, page: Page) -> None:
    response = await page.goto(platform.portal_url + "/search?auth_code=" + "0" * 40)
    assert response is not None and response.status == 404
    await expect(page.get_by_role("alert")).to_contain_text("Δεν βρέθηκε")


async def test_a_temporary_string_finds_its_invoice_before_and_after_myDATA_answers(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    await platform.aade.set_fault("down")
    try:
        data = await issue(platform, customer, sale())
    finally:
        await platform.aade.set_fault("none")
    temporary = data["authcode"]
    assert data["transmissionFailure"] == 2
    await searchable(platform, temporary)
    await page.goto(f"{platform.portal_url}/search?auth_code={temporary}")
    invoice = page.locator("article.invoice-document")
    if await invoice.locator(".notice-temporary").count():  # still deferred: PORTAL-6
        await expect(invoice.locator(".temporary-code .code")).to_have_text(temporary)
        await shots.take(page, "invoice-temporary")
    final = await when_final(platform, customer, temporary)
    await page.goto(f"{platform.portal_url}/search?auth_code={temporary}")
    await expect(invoice.locator(".authcode")).to_have_text(final["authcode"])
    await expect(invoice.locator(".mark")).to_have_text(final["mark"])
    await expect(invoice.locator(".notice-temporary")).to_have_count(0)


async def test_the_temporary_qr_waits_for_its_invoice_then_shows_it(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    body = sale(transmission_failure=1)
    issued = date.fromisoformat(body["issuedate"])
    params = temp_qr_params(
        body["is_vat"], issued, body["is_branch"], body["invtype"], body["series"], body["aa"]
    )
    url = f"{platform.portal_url}/search?{urlencode(params)}"
    await page.goto(url)
    await expect(page.locator(".notice-temporary")).to_be_visible()
    await expect(page.locator("article.invoice-document")).to_have_count(0)
    await shots.take(page, "temporary-qr")
    data = await issue(platform, customer, body)

    async def shown() -> bool:
        await page.goto(url)
        return await page.locator("article.invoice-document").count() == 1

    await wait_until(shown, within=15, interval=0.5)
    await expect(page.locator("article.invoice-document .uid")).to_have_text(data["uid"])


async def test_a_forged_temporary_qr_is_refused(platform: Platform, page: Page) -> None:
    params = {"temp_code": "0" * 64, "issuer_vat": "094420307", "issue_date": "20230309",
              "issuer_branch": "0", "invoice_type": "1.1", "series": "A", "aa": "1"}  # fmt: skip
    response = await page.goto(f"{platform.portal_url}/search?{urlencode(params)}")
    assert response is not None and response.status == 400


async def test_markup_in_a_counterpart_name_or_description_shows_as_text(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    name = "<script>window.pwned=1</script><b>ΑΕ</b>"
    body = sale(cp_name=name)
    body["einv02"][0]["p106"] = '<img src=x onerror="window.pwned=2">'
    data = await issue(platform, customer, body)
    await searchable(platform, data["authcode"])
    await page.goto(f"{platform.portal_url}/search?auth_code={data['authcode']}")
    await expect(page.locator(".counterpart .party-name")).to_have_text(name)
    await expect(page.locator("td.description")).to_have_text(body["einv02"][0]["p106"])
    assert await page.evaluate("window.pwned") is None
    await shots.take(page, "escaped-markup")
