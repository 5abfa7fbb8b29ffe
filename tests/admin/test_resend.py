"""The resend list (ADMIN-8) after a myDATA outage at aade-sim: every customer's deferred
invoices with their temporary string, username, last resend and count; «Επαναποστολή» of one
during the outage shows why it stayed; «Επαναποστολή Όλων» goes on past each failure and reports
every invoice (the seed stopped at the first), with progress; once myDATA is back, resending one
takes it off the list and resending all empties the list."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from harness.browser import Shots
from harness.platform import Platform
from testkit.invoices import sample_invoice

from .flows import log_in


async def _deferred(platform: Platform, count: int) -> tuple[str, list[str]]:
    customer = await platform.create_customer(calls=20)
    codes = []
    for _ in range(count):
        sale = sample_invoice(series="RS", pnr01=f"RS-{uuid.uuid4().hex}")
        answer = await platform.gateway.post("/invoice-data", json=sale, headers=customer.headers)
        data = answer.json()["data"]
        assert data["transmissionFailure"] == 2, data
        codes.append(data["authcode"])
    return customer.username, codes


async def _resend_all(page: Page) -> None:
    await page.get_by_role("button", name="Επαναποστολή Όλων").click()
    await page.wait_for_url("**/resend?job=*")
    await expect(page.locator("#resend-job")).not_to_have_attribute(
        "data-state", "running", timeout=60_000
    )


@pytest.mark.timeout(300)
async def test_resend_one_and_all_after_a_mydata_outage(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    await platform.aade.set_fault("down")
    try:
        username, codes = await _deferred(platform, 3)
        await log_in(page, platform, operator)
        await page.goto(platform.admin_url + "/resend")
        rows = page.locator("#resend-table tbody tr[data-code]")
        for code in codes:
            await expect(rows.filter(has_text=code)).to_have_count(1)
        await expect(rows.filter(has_text=codes[0]).locator("td").nth(1)).to_have_text(username)
        await shots.take(page, "resend")
        first = rows.filter(has_text=codes[0])
        await first.get_by_role("button", name="Επαναποστολή").click()
        await expect(page.locator("tr.resend-outcome")).to_contain_text("Δεν στάλθηκε")
        await _resend_all(page)
        job = page.locator("#resend-job")
        await expect(job).to_have_attribute("data-state", "finished")
        mine = page.locator("#resend-results tr[data-outcome=deferred]")
        for code in codes:  # each one reported, none skipped after the first failure
            await expect(mine.filter(has_text=code)).to_have_count(1)
        await shots.take(page, "resend-all-outage")
    finally:
        await platform.aade.set_fault("none")
    await page.goto(platform.admin_url + "/resend")
    await rows.filter(has_text=codes[1]).get_by_role("button", name="Επαναποστολή").click()
    outcome = page.locator("tr.resend-outcome")
    await expect(outcome).to_have_attribute("data-outcome", "transmitted", timeout=30_000)
    await _resend_all(page)
    await expect(page.locator("#resend-job")).to_have_attribute("data-state", "finished")
    await page.goto(platform.admin_url + "/resend")
    await expect(page.locator("#resend-empty")).to_be_visible()
    await shots.take(page, "resend-empty")
