"""The portal's pages over plain HTTP against the whole real platform (no browser): security
headers, CSRF and Origin, the session cookie rotated at login and ended at logout, idle expiry
(tenant-admin's limit), throttling explained, escaping, the language cookie, body caps."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, update

from catalog.tables import portal_sessions
from harness.platform import Customer, Platform
from kit.db import transaction

from .flows import NEW_PASSWORD, issue, sale

COOKIE = "einv_session"


@dataclass
class Portal:
    url: str
    http: httpx.AsyncClient

    async def csrf(self, path: str, action: str | None = None) -> str:
        """The token of the form posting to ``action`` (default: ``path``) on page ``path``."""
        page = await self.http.get(path)
        form = (
            rf'action="{re.escape(action or path)}"[^>]*>\s*<input type="hidden" name="csrf_token"'
        )
        found = re.search(form + r' value="([^"]+)"', page.text)
        assert found, page.text[:1500]
        return found.group(1)

    async def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return await self.http.post(path, data=data, headers={"Origin": self.url})

    async def log_in(self, username: str, password: str) -> httpx.Response:
        token = await self.csrf("/login")
        return await self.post(
            "/login", {"username": username, "password": password, "csrf_token": token}
        )

    async def first_login(self, customer: Customer) -> None:
        """Log in, change the first password, accept both terms: a customer ready to work."""
        assert (await self.log_in(customer.username, customer.password)).status_code == 303
        token = await self.csrf("/first-login/password")
        change = {"current_password": customer.password, "new_password": NEW_PASSWORD,
                  "repeat_password": NEW_PASSWORD, "csrf_token": token}  # fmt: skip
        assert (await self.post("/first-login/password", change)).status_code == 303
        token = await self.csrf("/first-login/terms")
        terms = {"contract": "1", "usage": "1", "csrf_token": token}
        assert (await self.post("/first-login/terms", terms)).status_code == 303


@pytest.fixture
async def portal(platform: Platform) -> AsyncIterator[Portal]:
    async with httpx.AsyncClient(base_url=platform.portal_url, timeout=30) as http:
        yield Portal(platform.portal_url, http)


async def test_every_answer_carries_the_security_headers(portal: Portal) -> None:
    for path in ("/", "/login", "/static/js/portal.js", "/nowhere"):
        headers = (await portal.http.get(path)).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


async def test_login_needs_its_form_token_and_this_sites_origin(
    platform: Platform, portal: Portal
) -> None:
    customer = await platform.create_customer(calls=1)
    token = await portal.csrf("/login")
    form = {"username": customer.username, "password": customer.password, "csrf_token": token}
    foreign = await portal.http.post("/login", data=form, headers={"Origin": "https://evil.test"})
    no_origin = await portal.http.post("/login", data=form)
    forged = await portal.post("/login", form | {"csrf_token": "forged"})
    assert [r.status_code for r in (foreign, no_origin, forged)] == [403, 403, 403]
    accepted = await portal.post("/login", form)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/first-login/password"
    cookie = accepted.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; EINV_PORTAL_COOKIE_SECURE adds it


async def test_each_login_is_a_new_session_and_logout_ends_it(
    platform: Platform, portal: Portal
) -> None:
    customer = await platform.create_customer(calls=1)
    await portal.first_login(customer)
    first = portal.http.cookies[COOKIE]
    assert (await portal.log_in(customer.username, NEW_PASSWORD)).status_code == 303
    second = portal.http.cookies[COOKIE]
    assert first != second
    token = await portal.csrf("/invoices", "/logout")
    assert (await portal.post("/logout", {"csrf_token": token})).status_code == 303
    portal.http.cookies.set(COOKIE, second)  # replaying the ended session's cookie
    assert (await portal.http.get("/invoices")).status_code == 303


async def test_wrong_credentials_look_alike_and_throttling_is_explained(
    platform: Platform, portal: Portal
) -> None:
    customer = await platform.create_customer(calls=1)
    wrong = await portal.log_in(customer.username, "Wrong-pass-1!")
    unknown = await portal.log_in("nobody-" + customer.username, customer.password)
    assert wrong.status_code == unknown.status_code == 400
    assert "Λάθος όνομα χρήστη ή συνθηματικό." in wrong.text
    assert "Λάθος όνομα χρήστη ή συνθηματικό." in unknown.text
    for _ in range(4):  # five failures from this address for this user
        await portal.log_in(customer.username, "Wrong-pass-1!")
    throttled = await portal.log_in(customer.username, customer.password)
    assert "Δοκιμάστε ξανά σε" in throttled.text


async def test_an_idle_session_goes_to_login_with_a_message(
    platform: Platform, portal: Portal
) -> None:
    customer = await platform.create_customer(calls=1)
    await portal.first_login(customer)
    async with transaction(platform.tenant_admin.engine) as conn:  # tenant-admin's idle limit
        stale = func.now() - timedelta(hours=2)
        await conn.execute(update(portal_sessions).values(last_seen_at=stale))
    page = await portal.http.get("/invoices?series=A")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?expired=1&next=%2Finvoices%3Fseries%3DA"
    login = await portal.http.get(page.headers["location"])
    assert "Η συνεδρία σας έληξε" in login.text


async def test_forms_of_a_session_need_its_token(platform: Platform, portal: Portal) -> None:
    customer = await platform.create_customer(calls=1)
    await portal.first_login(customer)
    refused = await portal.post("/account/token", {"csrf_token": "forged"})
    assert refused.status_code == 403
    token = await portal.csrf("/account", "/account/token")
    issued = await portal.post("/account/token", {"csrf_token": token})
    assert issued.status_code == 200 and "eyJ" in issued.text
    assert issued.headers["cache-control"] == "no-store"


async def test_names_and_descriptions_are_escaped(platform: Platform, portal: Portal) -> None:
    customer = await platform.create_customer(calls=5)
    body = sale(cp_name="<script>alert(1)</script>")
    body["einv02"][0]["p106"] = "<img src=x onerror=alert(2)>"
    data = await issue(platform, customer, body)
    await portal.first_login(customer)
    page = await portal.http.get(f"/invoices/{data['uid']}")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
    assert "<img src=x" not in page.text
    assert "<script>alert(1)" not in (await portal.http.get("/invoices")).text


async def test_the_language_is_chosen_once_and_remembered(portal: Portal) -> None:
    greek = await portal.http.get("/", headers={"Accept-Language": "en-US,en"})
    assert '<html lang="el">' in greek.text and "Αναγνωριστικό" in greek.text
    english = await portal.http.get("/login?lang=en")
    assert "einv_lang=en" in english.headers["set-cookie"]
    later = await portal.http.get("/")
    assert '<html lang="en">' in later.text and "Identifier" in later.text


async def test_bodies_are_capped_before_parsing(portal: Portal) -> None:
    big = await portal.http.post("/login", content=b"x" * 70_000, headers={"Origin": portal.url})
    assert big.status_code == 413
