"""An AADE user made in the admin app who sees one customer (ADMIN-3): the customer must exist;
the auditor logs in to the portal and finds that customer. Recreating a database (ADMIN-6) only
after typing the username, in the audit trail with who and from where."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from harness.browser import Shots
from harness.platform import Platform
from testkit.postgres import admin_dsn

from .flows import NEW_PORTAL_PASSWORD, a_customer, fill_new_user, log_in, save_and_send_sms


@pytest.mark.timeout(240)
async def test_an_aade_user_sees_the_customers_it_was_given(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=1)
    auditor = a_customer(role="aade_user")
    await log_in(page, platform, operator)
    await page.goto(f"{platform.admin_url}/users?lang=en")  # this operator works in English
    await fill_new_user(page, platform, auditor, sees="nobody-here")
    await page.get_by_role("button", name="Save and send SMS").click()
    await expect(page.locator("#sees_data_of-problem")).to_contain_text("nobody-here")
    await expect(page.locator("#contract_serial")).to_be_hidden()  # the AADE user's fields
    await page.fill("#sees_data_of", customer.username)
    refused = await page.input_value("#password")  # kept by the refused form
    await page.locator("#generate-password").click()
    await expect(page.locator("#password")).not_to_have_value(refused)
    password = await page.input_value("#password")
    await shots.take(page, "new-aade-user", both=False)
    await save_and_send_sms(page)
    await expect(page.locator("#database-section")).to_have_count(0)  # no database of its own
    await shots.take(page, "aade-user")
    portal = await page.context.new_page()
    await portal.goto(platform.portal_url + "/login")
    await portal.fill("#username", auditor.username)
    await portal.fill("#password", password)
    await portal.locator("main form button[type=submit]").click()
    await portal.wait_for_url("**/first-login/password")
    await portal.fill("#current_password", password)
    await portal.fill("#new_password", NEW_PORTAL_PASSWORD)
    await portal.fill("#repeat_password", NEW_PORTAL_PASSWORD)
    await portal.locator("main form button[type=submit]").first.click()
    await portal.check("#contract")
    await portal.check("#usage")
    await portal.locator("main form button[type=submit]").first.click()
    await portal.wait_for_url("**/auditor")
    await expect(portal.locator("main")).to_contain_text(customer.username)


async def _database_exists(name: str) -> bool:
    import asyncpg

    from testkit.postgres import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(admin_dsn()))
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()


@pytest.mark.timeout(240)
async def test_recreating_a_database_needs_the_username_typed(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=1)
    await log_in(page, platform, operator)
    await page.goto(f"{platform.admin_url}/users/{customer.tenant_id}")
    section = page.locator("#database-section")
    await expect(section.locator("#database-state")).to_have_attribute("data-status", "active")
    button = page.locator("#recreate-database")
    await expect(button).to_be_disabled()
    await page.fill("#confirm-recreate", customer.username + "x")
    await expect(button).to_be_disabled()
    await page.fill("#confirm-recreate", customer.username)
    await expect(button).to_be_enabled()
    await shots.take(page, "user-recreate", both=False)
    await button.click()
    await expect(section.locator("#database-state")).to_have_attribute(
        "data-status", "active", timeout=30_000
    )
    assert await _database_exists(f"tenant_{customer.tenant_id}")
    await page.goto(f"{platform.admin_url}/audit?username={customer.username}")
    rows = page.locator("#audit-table tbody tr[data-action]")
    await expect(rows.filter(has_text="Ξεκίνησε την επαναδημιουργία της βάσης")).to_have_count(1)
    await expect(rows.first).to_contain_text(operator)
    await expect(rows.first).to_contain_text("127.0.0.1")
    await shots.take(page, "audit")
