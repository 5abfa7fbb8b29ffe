"""An operator, in a real browser against the real platform, takes a new customer from nothing to
issuing invoices (seed 000): log in; the new user with a checked username and a generated
password (its SMS's alphabet and parts shown before sending); «Αποθήκευση και Αποστολή SMS» and
«Αποστολή E-mail» — devmail receives exactly one of each, in the user's language; the customer
logs in to the portal with that password and must change it; the database created with its
progress; a package sold and extended that the portal shows; the API call log switched on and a
call through the gateway seen with its bodies."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import Page, expect

from harness.browser import Shots
from harness.platform import Platform, wait_until
from testkit.invoices import sample_invoice
from webkit.formats import today_in_athens

from .flows import (
    NEW_PORTAL_PASSWORD,
    NewUser,
    a_customer,
    fill_new_user,
    log_in,
    received,
    save_and_send_sms,
    wait_for_messages,
)


async def test_the_operator_logs_in_in_greek_or_english(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    await page.goto(platform.admin_url + "/")
    await page.wait_for_url("**/admin-app/login")
    await expect(page.locator("h1")).to_have_text("Σύνδεση διαχειριστών")
    await shots.take(page, "login")
    await page.fill("#username", operator)
    await page.fill("#password", "Wrong-password-1")
    await page.locator("main form button[type=submit]").click()
    await expect(page.get_by_role("alert")).to_have_text("Λάθος όνομα χρήστη ή συνθηματικό.")
    await shots.take(page, "login-refused", both=False)
    await page.goto(f"{platform.admin_url}/login?lang=en")
    await page.fill("#username", operator)
    await page.fill("#password", "Wrong-password-1")
    await page.locator("main form button[type=submit]").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    await shots.take(page, "login-refused", both=False)
    await page.goto(f"{platform.admin_url}/login?lang=el")
    await log_in(page, platform, operator)
    await expect(page.locator("header .who")).to_have_text(operator)
    await page.get_by_role("link", name="EN", exact=True).click()
    await expect(page.get_by_role("link", name="Add a new user")).to_be_visible()
    await page.get_by_role("button", name="Log out").click()
    await page.wait_for_url("**/admin-app/login")


async def _create(page: Page, platform: Platform, user: NewUser, shots: Shots) -> tuple[str, str]:
    password = await fill_new_user(page, platform, user)
    preview = page.locator("#sms-preview")
    await expect(preview).to_contain_text("GSM-7")  # English: the GSM alphabet, one part
    await expect(preview).to_contain_text("1")
    await page.get_by_role("button", name="Εμφάνιση").click()
    await expect(page.locator("#password")).to_have_attribute("type", "text")
    await shots.take(page, "new-user", both=False)
    customer_id = await save_and_send_sms(page)
    await expect(page.get_by_role("status").first).to_contain_text("SMS")
    return customer_id, password


async def _send_email_and_see_both(page: Page, platform: Platform, user: NewUser) -> None:
    await page.get_by_role("button", name=re.compile(r"^Αποστολή E-mail")).click()
    await page.wait_for_url("**?done=email")
    await wait_for_messages(platform, user, sms=1, emails=1)
    table = page.locator("#messages-table")
    await expect(table.locator("tbody tr")).to_have_count(2, timeout=15_000)
    await expect(table.locator("tr[data-channel=sms]")).to_contain_text("GSM-7 × 1")
    await expect(table.locator("tr[data-channel=sms]")).to_have_attribute(
        "data-state", re.compile("sent|delivered"), timeout=15_000
    )


async def _check_devmail(platform: Platform, user: NewUser, password: str) -> None:
    sms, emails = await received(platform, user)
    assert len(sms) == 1 and len(emails) == 1, (sms, emails)  # exactly one each, no duplicate
    assert sms[0]["text"].startswith("Your e-invoicing password: " + password)
    assert sms[0]["encoding"] == "GSM-7" and sms[0]["parts"] == 1
    assert emails[0]["subject"] == "Your e-invoicing sign-in details"
    assert f"Username: {user.username}" in emails[0]["text"]
    assert f"Contract serial number: SN-{user.username}" in emails[0]["text"]


async def _portal_first_login(page: Page, platform: Platform, user: NewUser, password: str) -> None:
    base = platform.portal_url
    await page.goto(base + "/login")
    await page.fill("#username", user.username)
    await page.fill("#password", password)
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url("**/first-login/password")  # must change it (the checkbox's default)
    await page.fill("#current_password", password)
    await page.fill("#new_password", NEW_PORTAL_PASSWORD)
    await page.fill("#repeat_password", NEW_PORTAL_PASSWORD)
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_url("**/first-login/terms")
    await page.check("#contract")
    await page.check("#usage")
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_url("**/invoices")


async def _create_database(page: Page, shots: Shots) -> None:
    section = page.locator("#database-section")
    await expect(section.locator("#database-state")).to_have_attribute("data-status", "not_created")
    await page.locator("#create-database").click()
    await expect(section.locator("#database-state")).to_have_attribute(
        "data-status", "active", timeout=30_000
    )
    await expect(section).to_contain_text("tenant_")
    await shots.take(page, "user-database")


def _day(days_from_today: int) -> str:
    return (today_in_athens() + timedelta(days=days_from_today)).strftime("%d/%m/%Y")


async def _sell_and_extend(page: Page) -> str:
    await page.fill("#sell-calls", "100")
    await page.get_by_role("button", name="Πώληση πακέτου").click()
    await page.wait_for_url("**done=package_sold**")
    row = page.locator("#packages-table tbody tr").first
    package_id = await row.get_attribute("data-package")
    end = _day(500)
    await page.fill(f"#end-{package_id}", end)
    await row.get_by_role("button", name="Επέκταση").click()
    await page.wait_for_url("**done=package_extended**")
    history = page.locator("#packages-table .history li")
    await expect(history).to_have_count(2)
    await expect(history.first).to_contain_text("λήξη από")
    return end


async def _call_log(
    page: Page, platform: Platform, customer_id: str, user: NewUser, shots: Shots
) -> None:
    await page.locator("#call-log-switch").click()
    await page.wait_for_url("**done=call_log_on**")
    # Issued after the switch: the gateway reads the flag with the token's status.
    token = await platform.issue_token(customer_id, user.username)
    sale = sample_invoice(series="LOG", pnr01=f"LOG-{customer_id[:8]}")
    issued = await platform.gateway.post(
        "/invoice-data", json=sale, headers={"Authorization": f"Bearer {token}"}
    )
    assert issued.status_code == 200, issued.text
    calls_url = f"{platform.admin_url}/users/{customer_id}/calls"

    async def logged() -> bool:
        await page.goto(calls_url)
        return await page.locator("#calls-table tbody tr[data-call]").count() == 1

    await wait_until(logged, within=15, interval=0.5)
    row = page.locator("#calls-table tbody tr[data-call]")
    await expect(row).to_contain_text("POST")
    await expect(row).to_contain_text("/invoice-data")
    await expect(row.locator("td").nth(3)).to_have_text("200")
    await row.get_by_role("link").click()
    await expect(page.locator("#request-body")).to_contain_text(sale["pnr01"])
    await expect(page.locator("#response-body")).to_contain_text(issued.json()["data"]["authcode"])
    await shots.take(page, "user-call")
    await page.goto(calls_url)
    await shots.take(page, "user-calls")
    await page.goto(calls_url + "?status=4xx")
    await expect(page.locator("#calls-table tbody tr[data-call]")).to_have_count(0)


@pytest.mark.timeout(300)
async def test_a_new_customer_from_the_admin_app_to_the_portal_and_the_api(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    user = a_customer(language="en")
    await log_in(page, platform, operator)
    customer_id, password = await _create(page, platform, user, shots)
    await _send_email_and_see_both(page, platform, user)
    await _check_devmail(platform, user, password)
    await _create_database(page, shots)
    end = await _sell_and_extend(page)
    await shots.take(page, "user")
    await _call_log(page, platform, customer_id, user, shots)
    portal = await page.context.new_page()
    await _portal_first_login(portal, platform, user, password)
    await portal.goto(platform.portal_url + "/packages")
    await expect(portal.locator("table.packages tbody tr")).to_contain_text(end + " 23:59")
    await portal.close()
    await page.goto(f"{platform.admin_url}/users?q={user.company_name[:12]}")
    await expect(page.locator("#users tbody tr[data-username]")).to_have_count(1)
    await shots.take(page, "users-search")
