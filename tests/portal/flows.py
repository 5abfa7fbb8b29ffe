"""What the portal tests do again and again: issue invoices through the gateway, log in (first
login included), read amounts off the page, take screenshots."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
from playwright.async_api import Page

from contracts.portal import PUBLIC_STRINGS_PATH
from harness.browser import Shots as Shots  # the screenshots, shared with tests/admin
from harness.platform import Customer, Platform, wait_until
from testkit.invoices import sample_invoice

NEW_PASSWORD = "Portal-Pass-42!"
Body = dict[str, Any]


def sale(**changes: Any) -> Body:
    return sample_invoice(**({"series": "PW", "pnr01": f"PW-{uuid.uuid4().hex}"} | changes))


async def issue(platform: Platform, customer: Customer, body: Body) -> dict[str, Any]:
    response = await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def searchable(platform: Platform, code: str) -> None:
    """Wait until tenant-admin's directory knows ``code``: it learns printed strings from the
    outcome events, a moment after the ERP got its answer."""

    async def known() -> bool:
        try:
            await platform.tenant_admin_get(f"{PUBLIC_STRINGS_PATH}/{code}")
        except httpx.HTTPStatusError:
            return False
        return True

    await wait_until(known, within=15, interval=0.2)


async def issue_many(
    platform: Platform, customer: Customer, count: int, **changes: Any
) -> list[dict[str, Any]]:
    return [await issue(platform, customer, sale(**changes)) for _ in range(count)]


async def log_in(page: Page, base: str, username: str, password: str) -> None:
    await page.goto(f"{base}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.locator("main form button[type=submit]").click()


async def first_login(page: Page, base: str, customer: Customer) -> None:
    """Log in with the first password, change it and accept both terms (PORTAL-2)."""
    await log_in(page, base, customer.username, customer.password)
    await page.wait_for_url("**/first-login/password")
    await change_password(page, customer.password, NEW_PASSWORD)
    await page.wait_for_url("**/first-login/terms")
    await page.check("#contract")
    await page.check("#usage")
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_load_state()


async def change_password(page: Page, current: str, new: str, repeated: str | None = None) -> None:
    await page.fill("#current_password", current)
    await page.fill("#new_password", new)
    await page.fill("#repeat_password", new if repeated is None else repeated)
    await page.locator("main form button[type=submit]").first.click()


async def amounts(page: Page, which: str) -> list[Decimal]:
    """The exact amounts of column ``which`` (net, vat, gross) of the rows shown."""
    cells = page.locator(f"#invoice-rows td[data-amount={which}]")
    return [Decimal(v) for v in await cells.evaluate_all("cs => cs.map(c => c.dataset.value)")]


async def when_final(platform: Platform, customer: Customer, code: str) -> dict[str, Any]:
    """The invoice behind ``code`` once myDATA's answer was applied (no longer deferred)."""
    found: dict[str, Any] = {}

    async def done() -> bool:
        response = await platform.gateway.get(
            "/invoice-data", params={"auth_code": code}, headers=customer.headers
        )
        found.update(response.json().get("data") or {})
        return bool(found) and found["einv03"]["error_code"] != "mydata_sync_005"

    await wait_until(done, within=20, interval=0.2)
    return found
