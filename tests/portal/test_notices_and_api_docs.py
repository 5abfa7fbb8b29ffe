"""The portal's connection-loss notices (issue 10: a form of series/number lines, receipts,
matched when the invoice arrives) and the API documentation downloads (SPEC API-11)."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Locator, Page, expect

from harness.platform import Platform, wait_until

from .flows import Shots, first_login, issue, sale


async def test_notices_get_receipts_and_show_when_the_invoice_arrives(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/connection-loss-notices")
    await page.fill("#lines", "PN 301\nPN302\n\n094420307 PN 303\nnot a notice line")
    await page.locator("main form button[type=submit]").click()
    await expect(page.get_by_role("alert")).to_contain_text("Γραμμή 4")
    await expect(page.locator("#lines")).to_have_value(
        "PN 301\nPN302\n\n094420307 PN 303\nnot a notice line"
    )  # kept, so the one wrong line can be fixed

    await page.fill("#lines", "PN 301\nPN302\n094420307 PN 303")
    await page.locator("main form button[type=submit]").click()
    receipts = page.locator("ul.receipts li")
    await expect(receipts).to_have_count(3)
    await expect(page.locator("section[role=status]")).to_contain_text("Επιβεβαίωση Λήψης")
    await shots.take(page, "connection-loss-notices", both=False)

    await issue(platform, customer, sale(series="PN", aa="302", transmission_failure=1))

    async def arrived() -> bool:
        await page.goto(platform.portal_url + "/connection-loss-notices")
        return await notice_row(page, "302").filter(has_text="Έφτασε").count() == 1

    await wait_until(arrived, within=15, interval=0.5)
    waiting = notice_row(page, "301")
    await expect(waiting).to_contain_text("Δεν έχει φτάσει")
    await shots.take(page, "connection-loss-notices-list")


def notice_row(page: Page, aa: str) -> Locator:
    """The row of the notice numbered ``aa``: a cell holding exactly it (the row's whole text
    runs its cells together, so "N00000003" then "01/12/…" also reads "…301…")."""
    cell = page.locator("td", has_text=re.compile(rf"^\s*{aa}\s*$"))
    return page.locator("table.notices tr").filter(has=cell)


async def test_the_api_documentation_downloads(platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=platform.portal_url) as http:
        openapi = await http.get("/api/openapi.json")
        postman = await http.get("/api/postman-collection.json")
    assert openapi.status_code == postman.status_code == 200
    assert "attachment" in postman.headers["content-disposition"]
    paths = openapi.json()["paths"]
    assert {"/invoice-data", "/vat-registry/{vat}", "/status", "/connection-loss-notices"} <= set(
        paths
    )
    collection = postman.json()
    names = {item["request"]["url"]["raw"] for f in collection["item"] for item in f["item"]}
    assert "{{baseUrl}}/vat-registry/:vat" in names
    assert collection["variable"][0]["value"] == platform.servers["api-gateway"].url
