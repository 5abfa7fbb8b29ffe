"""E-mail lookup (PORTAL-7), packages (PORTAL-8), the API token (PORTAL-9) and the business
details shown on invoices (PORTAL-10)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from playwright.async_api import Page, expect

from harness.platform import Platform, wait_until

from .flows import Shots, first_login, issue, sale

DECLARED_VAT = "090000045"  # aade-sim's seeded receiver with a valid check digit


async def test_email_lookup(platform: Platform, page: Page, shots: Shots) -> None:
    customer = await platform.create_customer(calls=1)
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/email-lookup")
    await page.get_by_label("ΑΦΜ").fill(DECLARED_VAT)
    await page.get_by_role("button", name="Αναζήτηση").click()
    await expect(page.locator("ul.emails li")).to_have_text(["e-invoices@demo-client.example.gr"])
    await shots.take(page, "email-lookup")
    await page.get_by_label("ΑΦΜ").fill("123456789")
    await page.get_by_role("button", name="Αναζήτηση").click()
    await expect(page.get_by_role("alert")).to_contain_text("ψηφίο ελέγχου")
    await page.get_by_label("ΑΦΜ").fill("12345")
    await page.get_by_role("button", name="Αναζήτηση").click()
    await expect(page.get_by_role("alert")).to_contain_text("9 ψηφία")
    await page.get_by_label("ΑΦΜ").fill("094019245")  # valid check digit, nothing declared
    await page.get_by_role("button", name="Αναζήτηση").click()
    await expect(page.get_by_role("status").last).to_contain_text("Δεν έχει δηλωθεί")


async def test_packages_show_limit_and_calls_made(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=7)
    await issue(platform, customer, sale())
    await issue(platform, customer, sale())
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/packages")
    active = page.locator("table.packages tr.active")
    await expect(active).to_have_count(1)
    await expect(active.locator("td").nth(2)).to_have_text("7")
    await expect(active.locator("td").nth(3)).to_have_text("2")
    await expect(active.locator("td").nth(4)).to_have_text("5")
    await shots.take(page, "packages")


async def test_a_new_token_is_shown_once_and_revokes_the_old_one(
    platform: Platform, page: Page, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=3)
    data = await issue(platform, customer, sale())
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/account")
    await shots.take(page, "account")
    for lang, generate, field, copy in (
        ("en", "Generate token", "API bearer token", "Copy"),
        ("el", "Παραγωγή Token", "Api Bearer Token", "Αντιγραφή"),  # the last one is kept
    ):
        await page.goto(f"{platform.portal_url}/account?lang={lang}")
        await page.get_by_role("button", name=generate).click()
        token = await page.get_by_label(field).input_value()
        await page.get_by_role("button", name=copy).click()
        await shots.take(page, "account-token", both=False)
    assert token and token != customer.token
    query = {"auth_code": data["authcode"]}

    async def answers(bearer: str) -> int:
        headers = {"Authorization": f"Bearer {bearer}"}
        return (
            await platform.gateway.get("/invoice-data", params=query, headers=headers)
        ).status_code

    async def old_refused() -> bool:
        return await answers(customer.token) == 401

    await wait_until(old_refused, within=10)
    assert await answers(token) == 200
    await page.goto(platform.portal_url + "/account")  # shown once: nowhere to be seen again
    await expect(page.get_by_label("Api Bearer Token")).to_have_count(0)


async def test_business_details_appear_on_the_invoice_in_the_readers_language(
    platform: Platform, page: Page, shots: Shots, tmp_path: Path
) -> None:
    customer = await platform.create_customer(calls=2)
    data = await issue(platform, customer, sale())
    await first_login(page, platform.portal_url, customer)
    await page.goto(platform.portal_url + "/account/branding")
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("<svg onload=alert(1)>")
    await page.set_input_files("#logo", str(not_an_image))
    await page.get_by_role("button", name="Αποθήκευση").click()
    await expect(page.get_by_role("alert")).to_contain_text("PNG ή JPG")
    logo = tmp_path / "real.png"
    Image.new("RGB", (120, 40), (11, 92, 173)).save(logo)
    await page.set_input_files("#logo", str(logo))
    fields = {"#header_el": "ΕΤΑΙΡΕΙΑ ΔΟΚΙΜΩΝ", "#header_en": "TEST COMPANY",
              "#details_el": "Οδός 1, Αθήνα", "#details_en": "1 Street, Athens",
              "#footer_el": "Ευχαριστούμε", "#footer_en": "Thank you"}  # fmt: skip
    for selector, value in fields.items():
        await page.fill(selector, value)
    await shots.take(page, "branding", both=False)
    await page.get_by_role("button", name="Αποθήκευση").click()
    await page.wait_for_url("**/account?done=branding")
    await page.goto(f"{platform.portal_url}/invoices/{data['uid']}")
    await expect(page.locator(".branding-header")).to_have_text("ΕΤΑΙΡΕΙΑ ΔΟΚΙΜΩΝ")
    await expect(page.locator(".branding-footer")).to_have_text("Ευχαριστούμε")
    src = await page.locator("img.logo").get_attribute("src") or ""
    assert src.startswith("data:image/png;base64,")
    await shots.take(page, "invoice-branded", both=False)
    await page.goto(f"{platform.portal_url}/invoices/{data['uid']}?lang=en")
    await expect(page.locator(".branding-header")).to_have_text("TEST COMPANY")
    await expect(page.locator(".branding-details")).to_have_text("1 Street, Athens")
    await shots.take(page, "invoice-branded", both=False)
