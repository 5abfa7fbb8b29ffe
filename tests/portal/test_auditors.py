"""AADE users (seed 000): a granted customer's invoices read-only, nothing else."""

from __future__ import annotations

from playwright.async_api import Page, expect

from harness.platform import Platform

from .flows import Shots, first_login, issue, sale


async def test_an_auditor_reads_a_granted_customer_and_is_refused_another(
    platform: Platform, page: Page, shots: Shots
) -> None:
    granted = await platform.create_customer(calls=2)
    other = await platform.create_customer(calls=2)
    data = await issue(platform, granted, sale())
    await issue(platform, other, sale())
    auditor = await platform.create_auditor(granted)
    await first_login(page, platform.portal_url, auditor)
    await page.wait_for_url("**/auditor")
    await shots.take(page, "auditor-customers")
    await page.get_by_role("button", name="Προβολή παραστατικών").click()
    await page.wait_for_url("**/invoices")
    await expect(page.locator(".acting-for")).to_be_visible()
    await expect(page.locator("#invoice-rows tr[data-uid]")).to_have_count(1)
    await shots.take(page, "auditor-invoices")
    view = await page.goto(f"{platform.portal_url}/invoices/{data['uid']}")
    assert view is not None and view.status == 200
    for path in ("/account", "/packages", "/email-lookup", "/account/branding"):
        response = await page.goto(platform.portal_url + path)
        assert response is not None and response.status == 403, path
    # A forged choice of a customer not granted: refused.
    await page.goto(platform.portal_url + "/auditor")
    status = await page.evaluate(
        """async (customerId) => {
            const form = new FormData();
            form.append("csrf_token", document.querySelector("input[name=csrf_token]").value);
            form.append("customer_id", customerId);
            const answer = await fetch("/auditor/acting-for", {method: "POST", body: form});
            return answer.status;
        }""",
        other.tenant_id,
    )
    assert status == 403
