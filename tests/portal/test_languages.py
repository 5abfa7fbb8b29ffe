"""Greek by default, English on request, on every page (PORTAL-1), remembered in a cookie; the
pages keep the security headers and labels the issue asks for. Screenshots of each page in
both languages (docs/screenshots/)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from harness.platform import Platform

from .flows import Shots, first_login, issue, sale

CUSTOMER_PAGES = {
    "invoices": "/invoices",
    "email-lookup": "/email-lookup",
    "packages": "/packages",
    "account": "/account",
    "account-password": "/account/password",
    "branding": "/account/branding",
}
# What the layout always shows, in each language: the end of every page's title.
TITLE = {"el": "· Ηλεκτρονική τιμολόγηση", "en": "· e-invoicing portal"}


async def test_every_page_in_greek_and_english(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=2)
    data = await issue(platform, customer, sale())
    base = platform.portal_url
    for lang in ("en", "el"):
        await page.goto(f"{base}/login?lang={lang}")
        await _check(page, lang)
        await shots.take(page, "login", both=False)
    await first_login(page, base, customer)
    pages = CUSTOMER_PAGES | {"invoice": f"/invoices/{data['uid']}", "home": "/"}
    for lang in ("en", "el"):
        await page.goto(f"{base}/?lang={lang}")  # the choice is remembered from here on
        for name, path in pages.items():
            await page.goto(base + path)
            await _check(page, lang)
            await shots.take(page, name, both=False)


async def test_greek_is_the_default_whatever_the_browser_asks(
    platform: Platform, page: Page
) -> None:
    response = await page.goto(platform.portal_url + "/")
    assert response is not None
    await _check(page, "el")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


async def _check(page: Page, lang: str) -> None:
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await expect(page.locator(f".langs a[lang={lang}]")).to_have_attribute("aria-current", "true")
    assert (await page.title()).endswith(TITLE[lang])
    await _every_field_has_a_visible_label(page)


async def _every_field_has_a_visible_label(page: Page) -> None:
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter(f => f.type !== "hidden" && f.getAttribute("aria-hidden") !== "true")
            .filter(f => ![...(f.labels || [])].some(l => l.offsetParent !== null
                                                          && l.textContent.trim()))
            .map(f => f.id || f.name)"""
    )
    assert unlabelled == [], unlabelled
