"""The admin app over plain HTTP against the whole real platform (no browser): security headers,
CSRF and Origin, the session cookie (its own name and path, rotated at login, ended at logout,
idle expiry), throttling that does not lock an operator out from elsewhere, escaping, the
language cookie, body caps, package rules, the password never at rest in clear, and the JSON
API beside it unchanged."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, text, update

from catalog.tables import operator_actions, operator_sessions, outbox, users
from harness.platform import OPERATOR_PASSWORD, Platform
from kit.db import transaction
from testkit.invoices import ISSUER_VAT, sample_invoice

from .flows import a_customer

COOKIE = "einv_admin_session"


@dataclass
class Admin:
    url: str  # the app's root, http://host:port/admin-app
    http: httpx.AsyncClient

    @property
    def origin(self) -> str:
        return self.url.removesuffix("/admin-app")

    async def csrf(self, path: str, action: str | None = None) -> str:
        """The token of the form posting to ``action`` (default: ``path``) on page ``path``."""
        page = await self.http.get(self.url + path)
        form = re.escape("/admin-app" + (action or path))
        found = re.search(
            rf'action="{form}"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
            page.text,
        )
        assert found, page.text[:2000]
        return found.group(1)

    async def post(
        self, path: str, data: dict[str, str], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        sent = {"Origin": self.origin} | (headers or {})
        return await self.http.post(self.url + path, data=data, headers=sent)

    async def log_in(
        self,
        username: str,
        password: str = OPERATOR_PASSWORD,
        address: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Log in, from ``address`` when given: a loopback address of its own (127.0.0.0/8),
        since the app believes no X-Forwarded-For (no proxy is configured)."""
        if address is None:
            token = await self.csrf("/login")
            form = {"username": username, "password": password, "csrf_token": token}
            return await self.post("/login", form, headers)
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(
            transport=transport, cookies=self.http.cookies, timeout=30
        ) as elsewhere:
            answer = await Admin(self.url, elsewhere).log_in(username, password, None, headers)
            self.http.cookies.update(elsewhere.cookies)
        return answer


@pytest.fixture
async def admin(platform: Platform) -> AsyncIterator[Admin]:
    async with httpx.AsyncClient(timeout=30) as http:
        yield Admin(platform.admin_url, http)


async def test_every_answer_carries_the_security_headers(admin: Admin, operator: str) -> None:
    paths = ["/login", "/static/js/admin.js", "/static/vendor/htmx.min.js", "/nowhere"]
    for path in paths:
        headers = (await admin.http.get(admin.url + path)).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp and headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    assert (await admin.log_in(operator)).status_code == 303
    page = await admin.http.get(admin.url + "/users")
    assert page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text and " on" + "click=" not in page.text  # no inline script


async def test_login_needs_its_form_token_and_this_sites_origin(
    admin: Admin, operator: str
) -> None:
    token = await admin.csrf("/login")
    form = {"username": operator, "password": OPERATOR_PASSWORD, "csrf_token": token}
    foreign = await admin.http.post(
        admin.url + "/login", data=form, headers={"Origin": "https://evil.test"}
    )
    no_origin = await admin.http.post(admin.url + "/login", data=form)
    forged = await admin.post("/login", form | {"csrf_token": "forged"})
    assert [r.status_code for r in (foreign, no_origin, forged)] == [403, 403, 403]
    accepted = await admin.post("/login", form)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/admin-app/users"
    cookie = accepted.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/admin-app" in cookie and "einv_session=" not in cookie  # not the portal's


async def test_each_login_is_a_new_session_and_logout_ends_it(admin: Admin, operator: str) -> None:
    await admin.log_in(operator)
    first = admin.http.cookies[COOKIE]
    await admin.log_in(operator)
    second = admin.http.cookies[COOKIE]
    assert first != second
    admin.http.cookies.set(COOKIE, first, path="/admin-app")  # the replaced session is over
    assert (await admin.http.get(admin.url + "/users")).status_code == 303
    admin.http.cookies.set(COOKIE, second, path="/admin-app")
    token = await admin.csrf("/users", "/logout")
    assert (await admin.post("/logout", {"csrf_token": token})).status_code == 303
    admin.http.cookies.set(COOKIE, second, path="/admin-app")
    gone = await admin.http.get(admin.url + "/users")
    assert gone.status_code == 303 and "/admin-app/login" in gone.headers["location"]


async def test_five_wrong_passwords_from_elsewhere_do_not_lock_the_operator_out(
    admin: Admin, operator: str
) -> None:
    for _ in range(5):
        wrong = await admin.log_in(operator, "Wrong-password-1", address="127.0.0.7")
        assert wrong.status_code == 400 and "Λάθος όνομα χρήστη ή συνθηματικό." in wrong.text
    throttled = await admin.log_in(operator, OPERATOR_PASSWORD, address="127.0.0.7")
    assert throttled.status_code == 400 and "Δοκιμάστε ξανά σε" in throttled.text
    # A forged X-Forwarded-For does not make the guesser someone else: no proxy is believed.
    spoofed = {"X-Forwarded-For": "198.51.100.77"}
    forged = await admin.log_in(operator, OPERATOR_PASSWORD, address="127.0.0.7", headers=spoofed)
    assert forged.status_code == 400 and "Δοκιμάστε ξανά σε" in forged.text
    mine = await admin.log_in(operator, OPERATOR_PASSWORD, address="127.0.0.9")
    assert mine.status_code == 303
    unknown = await admin.log_in("nobody" + operator, OPERATOR_PASSWORD, address="127.0.0.9")
    assert "Λάθος όνομα χρήστη ή συνθηματικό." in unknown.text  # the same words as a wrong one


async def test_an_idle_session_goes_to_login_with_a_message(
    platform: Platform, admin: Admin, operator: str
) -> None:
    await admin.log_in(operator)
    async with transaction(platform.tenant_admin.engine) as conn:
        stale = func.now() - timedelta(hours=2)
        await conn.execute(update(operator_sessions).values(last_seen_at=stale))
    page = await admin.http.get(admin.url + "/resend?pages=1")
    assert page.status_code == 303
    assert (
        page.headers["location"]
        == "/admin-app/login?expired=1&next=%2Fadmin-app%2Fresend%3Fpages%3D1"
    )
    login = await admin.http.get(admin.origin + page.headers["location"])
    assert "Η συνεδρία σας έληξε" in login.text


async def test_forms_of_a_session_need_its_token(admin: Admin, operator: str) -> None:
    await admin.log_in(operator)
    refused = await admin.post("/users/new", {"csrf_token": "forged", "action": "generate"})
    assert refused.status_code == 403
    token = await admin.csrf("/users/new")
    allowed = await admin.post("/users/new", {"csrf_token": token, "action": "generate"})
    assert allowed.status_code == 200 and 'id="password" name="password"' in allowed.text
    foreign = await admin.post(
        "/users/new", {"csrf_token": token, "action": "generate"}, {"Origin": "https://evil.test"}
    )
    assert foreign.status_code == 403


def _user_form(token: str, **changes: str) -> dict[str, str]:
    user = a_customer()
    form = {
        "csrf_token": token, "company_name": user.company_name, "vat": ISSUER_VAT,
        "surname": "Surname", "name": "Name", "mobile": user.mobile, "email": user.email,
        "role": "customer", "contract_serial": "SN-1", "username": user.username,
        "password": "Generated-pass-1!", "must_change_password": "1", "language": "el",
        "action": "save_sms",
    }  # fmt: skip
    return form | changes


async def test_each_field_is_checked_with_its_own_message(admin: Admin, operator: str) -> None:
    await admin.log_in(operator)
    token = await admin.csrf("/users/new")
    bad = _user_form(token, vat="123456789", mobile="2101234567", email="nope", username="9x")
    answer = await admin.post("/users/new", bad | {"contract_serial": "", "password": ""})
    assert answer.status_code == 400
    for message in (
        "Το ψηφίο ελέγχου του ΑΦΜ δεν είναι σωστό.", "Εισάγετε ελληνικό κινητό",
        "Εισάγετε διεύθυνση e-mail", "Το όνομα χρήστη ξεκινά με γράμμα",
        "Ο πελάτης χρειάζεται το serial number", "Παράγετε πρώτα συνθηματικό.",
    ):  # fmt: skip
        assert message in answer.text
    auditor = _user_form(token, role="aade_user", sees_data_of="nobody-at-all")
    refused = await admin.post("/users/new", auditor)
    assert "Δεν είναι ονόματα χρήστη πελατών: nobody-at-all" in refused.text


async def test_the_password_is_never_at_rest_in_clear(
    platform: Platform, admin: Admin, operator: str
) -> None:
    await admin.log_in(operator)
    form = _user_form(await admin.csrf("/users/new"))
    created = await admin.post("/users/new", form)
    assert created.status_code == 303, created.text[:2000]
    password = form["password"]
    async with transaction(platform.tenant_admin.engine) as conn:
        stored = (
            await conn.execute(
                select(users.c.password_hash).where(users.c.username == form["username"])
            )
        ).scalar_one()
        bodies = (await conn.execute(select(outbox.c.body, outbox.c.headers))).all()
        trail = (await conn.execute(select(operator_actions.c.detail))).scalars().all()
        dump = (
            await conn.execute(text("SELECT string_agg(t::text, '') FROM customers t"))
        ).scalar()
    assert stored.startswith("$argon2id$") and password not in stored
    assert bodies and not any(password.encode() in body for body, _ in bodies)
    assert not any(password in str(detail) for detail in trail)
    assert password not in (dump or "")
    customer_id = created.headers["location"].split("/users/")[1].split("?")[0]
    sms = [b for b, _ in bodies if b"account.password" in b and customer_id.encode() in b]
    assert len(sms) == 1 and b'"sealed_params":{"password":"' in sms[0]


async def test_names_are_escaped(platform: Platform, admin: Admin, operator: str) -> None:
    await admin.log_in(operator)
    token = await admin.csrf("/users/new")
    form = _user_form(token, company_name="<script>alert(1)</script> Α.Ε.")
    created = await admin.post("/users/new", form)
    assert created.status_code == 303
    page = await admin.http.get(admin.origin + created.headers["location"])
    listing = await admin.http.get(admin.url + "/users", params={"q": "alert"})
    for html in (page.text, listing.text):
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


async def test_the_language_is_chosen_once_and_remembered(admin: Admin) -> None:
    greek = await admin.http.get(admin.url + "/login", headers={"Accept-Language": "en-US,en"})
    assert '<html lang="el">' in greek.text and "Σύνδεση διαχειριστών" in greek.text
    english = await admin.http.get(admin.url + "/login?lang=en")
    assert "einv_admin_lang=en" in english.headers["set-cookie"]
    later = await admin.http.get(admin.url + "/login")
    assert '<html lang="en">' in later.text and "Operators' login" in later.text


async def test_bodies_are_capped_before_parsing(admin: Admin) -> None:
    big = await admin.http.post(
        admin.url + "/login", content=b"x" * 70_000, headers={"Origin": admin.origin}
    )
    assert big.status_code == 413


async def _package_with_two_calls_used(
    platform: Platform, admin: Admin, operator: str
) -> tuple[str, int]:
    customer = await platform.create_customer(calls=3)
    for _ in range(2):
        sale = sample_invoice(series="ADM", pnr01=f"ADM-{uuid.uuid4().hex}")
        issued = await platform.gateway.post("/invoice-data", json=sale, headers=customer.headers)
        assert issued.status_code == 200, issued.text
    await admin.log_in(operator)
    package = (await platform.packages(customer))[0]
    assert package.calls_used == 2
    return customer.tenant_id, package.id


async def test_a_limit_below_the_calls_used_and_an_end_before_the_start_are_refused(
    platform: Platform, admin: Admin, operator: str
) -> None:
    tenant_id, package_id = await _package_with_two_calls_used(platform, admin, operator)
    page = f"/users/{tenant_id}"
    token = await admin.csrf(page, f"{page}/packages/{package_id}/limit")
    for path, form, outcome in (
        (f"/packages/{package_id}/limit", {"calls": "1"}, "refused=limit_below_used"),
        (f"/packages/{package_id}/limit", {"calls": "0"}, "refused=bad_number"),
        (f"/packages/{package_id}/end", {"end": "01/01/2001"}, "refused=end_before_start"),
        (f"/packages/{package_id}/end", {"end": "32/13/2030"}, "refused=bad_date"),
        ("/packages", {"calls": "10", "start": "10/10/2026", "end": "09/10/2026"},
         "refused=end_before_start"),
        (f"/packages/{package_id}/limit", {"calls": "2"}, "done=package_limit"),
    ):  # fmt: skip
        answer = await admin.post(page + path, form | {"csrf_token": token})
        assert answer.headers["location"].endswith(outcome + "#packages"), (path, form)
    refused = await admin.post(
        f"{page}/packages/{package_id}/limit", {"csrf_token": token, "calls": "1"}
    )
    shown = await admin.http.get(admin.origin + refused.headers["location"])
    assert "Το όριο δεν μπορεί να είναι κάτω από τις κλήσεις που έχουν ήδη γίνει." in shown.text
    history = [row for row in shown.text.split("<li>") if "όριο από 3 σε 2 κλήσεις" in row]
    assert history and operator in history[0]


async def test_the_json_api_beside_the_pages_is_unchanged(platform: Platform, admin: Admin) -> None:
    base = admin.origin
    unauthorised = await admin.http.get(base + "/admin/tenants")
    assert unauthorised.status_code == 401
    assert unauthorised.json() == {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
    internal = await admin.http.get(base + "/internal/tenants")
    assert internal.status_code == 401 and internal.headers["content-type"] == "application/json"
    assert (await admin.http.get(base + "/", follow_redirects=False)).headers[
        "location"
    ] == "/admin-app/"


async def test_editing_a_user_and_a_new_password_by_sms(
    platform: Platform, admin: Admin, operator: str
) -> None:
    await admin.log_in(operator)
    form = _user_form(await admin.csrf("/users/new"))
    created = await admin.post("/users/new", form)
    page = created.headers["location"].split("?")[0].removeprefix("/admin-app")
    token = await admin.csrf(page)
    edit = form | {"csrf_token": token, "mobile": "+30 691 111 2222", "action": "save"}
    saved = await admin.post(page, edit | {"password": ""})
    assert saved.headers["location"].endswith("?done=saved")
    unsent = await admin.post(page, edit | {"password": "", "action": "save_sms"})
    assert unsent.status_code == 400 and "Παράγετε πρώτα συνθηματικό." in unsent.text
    async with transaction(platform.tenant_admin.engine) as conn:
        before = (
            await conn.execute(
                select(users.c.password_hash).where(users.c.username == form["username"])
            )
        ).scalar_one()
    sent = await admin.post(page, edit | {"password": "Another-pass-2!", "action": "save_sms"})
    assert sent.headers["location"].endswith("?done=sms")
    async with transaction(platform.tenant_admin.engine) as conn:
        after = (
            await conn.execute(
                select(users.c.password_hash).where(users.c.username == form["username"])
            )
        ).scalar_one()
        trail = (
            await conn.execute(
                select(operator_actions.c.action, operator_actions.c.detail)
                .where(operator_actions.c.username == form["username"])
                .order_by(operator_actions.c.id)
            )
        ).all()
    assert before != after
    assert [a for a, _ in trail] == ["user.created", "password.sms", "user.updated", "password.sms"]
    assert trail[2][1] == {"fields": ["mobile"]}
    shown = await admin.http.get(admin.url + page)
    assert 'value="+306911112222"' in shown.text  # stored as E.164
