"""The users list (ADMIN-2): search by VAT number and by company name, the red × that clears it,
«Περισσότερα» 20 at a time; every page in Greek (the default, whatever the browser says) and in
English, each label in the operator's language; screenshots of each page in both."""

from __future__ import annotations

import random
import uuid

from playwright.async_api import Page, expect

from harness.browser import Shots
from harness.platform import Platform
from kit.db import transaction
from tenant_admin.tenants.schemas import NewCustomer
from tenant_admin.tenants.service import register_customer

from .flows import log_in


def _vat(prefix: str) -> str:
    """A VAT number starting with ``prefix`` whose check digit holds."""
    digits = prefix + "".join(random.choice("0123456789") for _ in range(8 - len(prefix)))
    total = sum(int(d) << (8 - i) for i, d in enumerate(digits))
    return digits + str(total % 11 % 10)


async def _register(platform: Platform, company: str, vat: str) -> None:
    username = f"lst{uuid.uuid4().hex[:10]}"
    data = NewCustomer(
        company_name=company, vat=vat, username=username, email=f"{username}@example.gr",
        mobile="6900000000", surname="Σ", name="Ο", contract_serial="SN", password="Aa-1aaaaa",
    )  # fmt: skip
    async with transaction(platform.tenant_admin.engine) as conn:
        await register_customer(conn, data)


async def test_search_by_vat_or_name_clear_and_more(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    prefix = str(random.randint(10, 99))
    vats = [_vat(prefix + "0") for _ in range(3)]
    for n in range(23):
        await _register(platform, f"Πολλοί {tag} {n:02d} Ο.Ε.", vats[n % 3] if n < 3 else _vat("9"))
    await log_in(page, platform, operator)
    await page.fill("#q", tag.lower())
    await page.locator("#q").press("Enter")
    rows = page.locator("#users tbody tr[data-username]")
    await expect(rows).to_have_count(20)
    await shots.take(page, "users")
    await page.get_by_role("link", name="Περισσότερα").click()
    await expect(rows).to_have_count(23)
    await expect(page.get_by_role("link", name="Περισσότερα")).to_have_count(0)
    await page.fill("#q", vats[0])
    await page.locator("#q").press("Enter")
    await expect(rows.filter(has_text=vats[0])).to_have_count(rows_for(vats, vats[0]))
    await page.get_by_role("link", name="Διαγραφή αναζήτησης").click()
    await expect(page.locator("#q")).to_have_value("")
    await expect(rows).to_have_count(20)


def rows_for(vats: list[str], vat: str) -> int:
    return sum(1 for v in vats if v == vat)


PAGES = {  # name → path under the app, and a label only that page shows (Greek, English)
    "users-list": ("/users", ("Προσθήκη Νέου Χρήστη", "Add a new user")),
    "new-user-form": ("/users/new", ("Στοιχεία Σύνδεσης", "Login details")),
    "resend-list": ("/resend", ("Επαναποστολή Όλων", "Resend all")),
    "audit-trail": ("/audit", ("Ίχνος ενεργειών", "Audit trail")),
}


async def test_every_page_in_greek_and_english(
    platform: Platform, page: Page, operator: str, shots: Shots
) -> None:
    customer = await platform.create_customer(calls=5)
    user = f"/users/{customer.tenant_id}"
    pages = PAGES | {
        "user-page": (user, ("Στοιχεία Χρήστη", "User details")),
        "user-calls-empty": (user + "/calls", ("Καταγραφή κλήσεων API", "API call log")),
    }
    await log_in(page, platform, operator)
    for name, (path, (greek, english)) in pages.items():
        await page.goto(platform.admin_url + path + "?lang=el")
        await expect(page.locator("html")).to_have_attribute("lang", "el")
        await expect(page.locator("main")).to_contain_text(greek)
        await page.goto(platform.admin_url + path + "?lang=en")
        await expect(page.locator("main")).to_contain_text(english)
        await expect(page.locator("main")).not_to_contain_text(greek)
        await page.goto(platform.admin_url + path + "?lang=el")
        await shots.take(page, name)
    await page.goto(platform.admin_url + "/users")  # the cookie remembers Greek
    await expect(page.locator("html")).to_have_attribute("lang", "el")
