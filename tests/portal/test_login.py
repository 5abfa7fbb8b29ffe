"""Login, first login (PORTAL-2: password rules, both acceptances, guest), logout (PORTAL-11)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from harness.platform import Platform

from .flows import NEW_PASSWORD, Shots, change_password, first_login, log_in


async def test_wrong_credentials_do_not_say_which_was_wrong(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=1)
    await log_in(page, platform.portal_url, customer.username, "Wrong-password-1")
    await expect(page.get_by_role("alert")).to_have_text("Λάθος όνομα χρήστη ή συνθηματικό.")
    await shots.take(page, "login-refused", both=False)
    await page.goto(f"{platform.portal_url}/login?lang=en")
    await log_in(page, platform.portal_url, customer.username, "Wrong-password-1")
    await expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    await shots.take(page, "login-refused", both=False)
    await page.goto(f"{platform.portal_url}/login?lang=el")
    await log_in(page, platform.portal_url, "nobody-" + customer.username, customer.password)
    await expect(page.get_by_role("alert")).to_have_text("Λάθος όνομα χρήστη ή συνθηματικό.")


async def test_first_login_enforces_each_password_rule_then_both_acceptances(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=1)
    base = platform.portal_url
    await page.goto(base + "/login")
    await shots.take(page, "login")
    await log_in(page, base, customer.username, customer.password)
    await page.wait_for_url("**/first-login/password")
    await shots.take(page, "first-login-password")
    await change_password(page, customer.password, "abc")
    alerts = page.get_by_role("alert")
    await expect(alerts).to_have_count(4)  # length, upper-case, digit, symbol
    await expect(alerts.nth(0)).to_contain_text("8 χαρακτήρες")
    await shots.take(page, "first-login-password-rules", both=False)
    await page.goto(f"{base}/first-login/password?lang=en")
    await change_password(page, customer.password, "abc")
    await expect(page.get_by_role("alert").first).to_contain_text("at least 8 characters")
    await shots.take(page, "first-login-password-rules", both=False)
    await page.goto(f"{base}/first-login/password?lang=el")
    await change_password(page, customer.password, NEW_PASSWORD, "Different-1!")
    await expect(page.get_by_role("alert")).to_contain_text("διαφέρουν")
    await change_password(page, customer.password, NEW_PASSWORD)
    await page.wait_for_url("**/first-login/terms")
    await shots.take(page, "first-login-terms")
    await page.check("#contract")
    await page.locator("main form button[type=submit]").first.click()
    await expect(page.get_by_role("alert")).to_be_visible()  # one acceptance is not enough
    await expect(page.get_by_role("button", name="Συνέχεια ως Επισκέπτης")).to_be_visible()
    await page.check("#contract")
    await page.check("#usage")
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_url("**/invoices")
    # The first password no longer works; the new one does, with no first-login step.
    await page.get_by_role("button", name="Αποσύνδεση").click()
    await page.wait_for_url(base + "/")
    await log_in(page, base, customer.username, NEW_PASSWORD)
    await page.wait_for_url("**/invoices")


async def test_without_both_acceptances_only_guest_search_remains(
    platform: Platform, page: Page
) -> None:
    customer = await platform.create_customer(calls=1)
    base = platform.portal_url
    await log_in(page, base, customer.username, customer.password)
    await change_password(page, customer.password, NEW_PASSWORD)
    await page.wait_for_url("**/first-login/terms")
    await page.goto(base + "/invoices")
    await page.wait_for_url("**/first-login/terms")
    await page.get_by_role("button", name="Συνέχεια ως Επισκέπτης").click()
    await page.wait_for_url(base + "/")
    await expect(page.locator("header").get_by_role("link", name="Σύνδεση")).to_be_visible()


async def test_logout_returns_home_and_ends_the_session(platform: Platform, page: Page) -> None:
    customer = await platform.create_customer(calls=1)
    await first_login(page, platform.portal_url, customer)
    cookies_before = await page.context.cookies()
    session = next(c for c in cookies_before if c["name"] == "einv_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    await page.get_by_role("button", name="Αποσύνδεση").click()
    await page.wait_for_url(platform.portal_url + "/")
    # The old session id is dead server-side, even if a copy of the cookie survived.
    await page.context.add_cookies(
        [{"name": session["name"], "value": session["value"], "url": platform.portal_url}]
    )
    await page.goto(platform.portal_url + "/invoices")
    await page.wait_for_url("**/login?**")
