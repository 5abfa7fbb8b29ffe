"""What the admin tests do again and again: log an operator in, fill the new-user form, read
what devmail received, wait for a page to be still."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.async_api import Page, expect

from harness.platform import OPERATOR_PASSWORD, Platform, wait_until
from testkit.invoices import ISSUER_VAT

NEW_PORTAL_PASSWORD = "Portal-Pass-42!"


@dataclass(frozen=True)
class NewUser:
    username: str
    company_name: str
    email: str
    mobile: str  # as typed
    e164: str  # as stored and sent to
    language: str
    role: str = "customer"


def a_customer(language: str = "el", role: str = "customer", company: str = "") -> NewUser:
    username = f"adm{uuid.uuid4().hex[:10]}"
    number = f"69{uuid.uuid4().int % 10**8:08d}"
    return NewUser(
        username=username, company_name=company or f"Δοκιμή {username} Α.Ε.",
        email=f"{username}@example.gr", mobile=number, e164="+30" + number, language=language,
        role=role,
    )  # fmt: skip


async def log_in(page: Page, platform: Platform, username: str) -> None:
    await page.goto(f"{platform.admin_url}/login")
    await page.fill("#username", username)
    await page.fill("#password", OPERATOR_PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url("**/admin-app/users")


async def fill_new_user(page: Page, platform: Platform, user: NewUser, sees: str = "") -> str:
    """The new-user form filled in, username checked, password generated; the password."""
    await page.goto(f"{platform.admin_url}/users/new")
    for field, value in (
        ("company_name", user.company_name), ("vat", ISSUER_VAT), ("surname", "Παπαδοπούλου"),
        ("name", "Ελένη"), ("mobile", user.mobile), ("email", user.email),
    ):  # fmt: skip
        await page.fill(f"#{field}", value)
    await page.select_option("#role", user.role)
    if user.role == "customer":
        await page.fill("#contract_serial", f"SN-{user.username}")
    else:
        await page.fill("#sees_data_of", sees)
    await page.fill("#username", user.username)
    await page.select_option("#language", user.language)
    await page.get_by_role("button", name=CHECK[await lang(page)]).click()
    await expect(page.locator("#username-verdict")).to_have_class("verdict msg-success")
    await page.locator("#generate-password").click()
    await expect(page.locator("#password")).not_to_have_value("")
    return await page.input_value("#password")


CHECK = {"el": "Έλεγχος", "en": "Check"}
SAVE_SMS = {"el": "Αποθήκευση και Αποστολή SMS", "en": "Save and send SMS"}


async def lang(page: Page) -> str:
    return await page.get_attribute("html", "lang") or "el"


async def save_and_send_sms(page: Page) -> str:
    """Press «Αποθήκευση και Αποστολή SMS»; the new user's id (from its page's address)."""
    await page.get_by_role("button", name=SAVE_SMS[await lang(page)]).click()
    await page.wait_for_url("**/admin-app/users/*?done=created")
    return page.url.split("/users/")[1].split("?")[0]


async def devmail(platform: Platform) -> dict[str, list[dict[str, Any]]]:
    """Everything devmail received (its SMTP server and SMS gateway)."""
    async with httpx.AsyncClient(base_url=platform.devmail_url, timeout=10) as http:
        response = await http.get("/_admin/messages")
        response.raise_for_status()
        body: dict[str, list[dict[str, Any]]] = response.json()
        return body


async def received(platform: Platform, user: NewUser) -> tuple[list[Any], list[Any]]:
    """The SMS to the user's mobile and the e-mails to its address."""
    found = await devmail(platform)
    sms = [m for m in found["sms"] if m["to"].lstrip("+") == user.e164.lstrip("+")]
    emails = [m for m in found["emails"] if user.email in m["rcpt_tos"]]
    return sms, emails


async def wait_for_messages(platform: Platform, user: NewUser, sms: int, emails: int) -> None:
    async def arrived() -> bool:
        got = await received(platform, user)
        return (len(got[0]), len(got[1])) >= (sms, emails)

    await wait_until(arrived, within=30, interval=0.3)
