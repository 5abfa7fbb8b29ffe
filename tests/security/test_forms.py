"""CSRF on every state-changing form of the portal and of the admin app (ASVS V4.2.2, V13.2.3),
table-driven from the apps' own route lists: with a live session, each POST/PUT/PATCH/DELETE is
refused (403) when it comes from another origin even with the session's real form token, and
when it comes from this site with a forged token. A new form is in the table the day it is
added."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from harness.platform import OPERATOR_PASSWORD, Platform
from kit.app import proxy_options
from portal_web.main import create_app as create_portal
from testkit.servers import start_server

NEW_PASSWORD = "Portal-Pass-42!"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Forms a visitor posts before having a session: they carry a token of their own (a cookie),
# checked the same way; tested with the login pages (tests/portal, tests/admin).
BEFORE_SESSION = {"/login"}


@dataclass(frozen=True, slots=True)
class Site:
    origin: str
    root: str  # where the app's paths start ("" or "/admin-app")


def _writes(app: FastAPI | Mount) -> list[tuple[str, str]]:
    """Every state-changing (method, path) of ``app``, its included routers' too."""
    found = []
    for route in iter_route_contexts(app.routes):
        methods, path = route.methods or set(), route.path or ""
        found += [(method, path) for method in sorted(methods & WRITES)]
    return [(m, p) for m, p in found if not p.startswith("/internal/") and p not in BEFORE_SESSION]


def _admin_app(platform: Platform) -> Mount:
    for route in platform.app("tenant-admin").routes:
        if isinstance(route, Mount) and route.path == "/admin-app":
            return route
    raise AssertionError("the admin app is not mounted at /admin-app")


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def _refusals(
    http: httpx.AsyncClient, site: Site, writes: list[tuple[str, str]]
) -> list[str]:
    page = await http.get(site.origin + site.root + ("/account" if not site.root else "/users"))
    found = TOKEN.search(page.text)
    assert found, page.text[:500]
    real = found.group(1)
    wrong = []
    for method, path in writes:
        url = site.origin + site.root + _concrete(path)
        tries = {
            "foreign origin": ({"Origin": "https://evil.example"}, real),
            "forged token": ({"Origin": site.origin}, "forged-" + real[:10]),
        }
        for name, (headers, token) in tries.items():
            answer = await http.request(
                method, url, data={"csrf_token": token}, headers=headers, follow_redirects=False
            )
            if answer.status_code != 403:
                wrong.append(f"{name}: {method} {site.root}{path} → {answer.status_code}")
    return wrong


async def _portal_session(platform: Platform, http: httpx.AsyncClient) -> None:
    customer = await platform.create_customer(calls=1)
    base = platform.portal_url

    async def post(path: str, form: dict[str, str]) -> httpx.Response:
        page = await http.get(base + path)
        found = TOKEN.search(page.text)
        assert found, page.text[:500]
        data = form | {"csrf_token": found.group(1)}
        return await http.post(base + path, data=data, headers={"Origin": base})

    login = {"username": customer.username, "password": customer.password}
    assert (await post("/login", login)).status_code == 303
    change = {"current_password": customer.password, "new_password": NEW_PASSWORD,
              "repeat_password": NEW_PASSWORD}  # fmt: skip
    assert (await post("/first-login/password", change)).status_code == 303
    assert (await post("/first-login/terms", {"contract": "1", "usage": "1"})).status_code == 303


async def _admin_session(platform: Platform, http: httpx.AsyncClient) -> None:
    username = await platform.create_operator()
    base = platform.admin_url
    page = await http.get(base + "/login")
    found = TOKEN.search(page.text)
    assert found
    form = {"username": username, "password": OPERATOR_PASSWORD, "csrf_token": found.group(1)}
    origin = base.removesuffix("/admin-app")
    answer = await http.post(base + "/login", data=form, headers={"Origin": origin})
    assert answer.status_code == 303, answer.text[:500]


async def test_every_portal_form_refuses_another_origin_and_a_forged_token(
    platform: Platform,
) -> None:
    writes = _writes(platform.app("portal-web"))
    async with httpx.AsyncClient(timeout=30) as http:
        await _portal_session(platform, http)
        wrong = await _refusals(http, Site(platform.portal_url, ""), writes)
    print(f"\nportal forms: {len(writes)} × 2 tries, {len(wrong)} accepted")
    assert len(writes) >= 10
    assert wrong == []


async def test_every_admin_form_refuses_another_origin_and_a_forged_token(
    platform: Platform,
) -> None:
    writes = _writes(_admin_app(platform))
    origin = platform.admin_url.removesuffix("/admin-app")
    async with httpx.AsyncClient(timeout=30) as http:
        await _admin_session(platform, http)
        wrong = await _refusals(http, Site(origin, "/admin-app"), writes)
    print(f"\nadmin forms: {len(writes)} × 2 tries, {len(wrong)} accepted")
    assert len(writes) >= 10
    assert wrong == []


async def test_behind_a_tls_proxy_every_cookie_is_secure(platform: Platform) -> None:
    """A portal behind a TLS proxy it is told about (``EINV_PORTAL_FORWARDED_ALLOW_IPS``) marks
    the session, login-form and language cookies ``Secure``; the same headers from anyone else
    are ignored (the cookies of a plain-http answer stay without it)."""
    customer = await platform.create_customer(calls=1)
    settings = platform.app("portal-web").state.runtime.settings
    behind = settings.model_copy(update={"forwarded_allow_ips": "127.0.0.1"})
    server = await start_server(create_portal(behind), **proxy_options("127.0.0.1"))
    try:
        tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            page = await http.get("/login?lang=en", headers=tls)
            found = TOKEN.search(page.text)
            assert found
            form = {"username": customer.username, "password": customer.password,
                    "csrf_token": found.group(1)}  # fmt: skip
            origin = {"Origin": "https://" + server.url.removeprefix("http://")}
            # The client keeps Secure cookies for https only; this hop is the proxy's plain one.
            sent = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("set-cookie"))
            http.cookies.clear()
            login = await http.post("/login", data=form, headers=tls | origin | {"Cookie": sent})
        cookies = page.headers.get_list("set-cookie") + login.headers.get_list("set-cookie")
    finally:
        await server.stop()
    assert login.status_code == 303, login.text[:300]
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"einv_session", "einv_lang"} <= names, cookies
    assert all("Secure" in cookie for cookie in cookies), cookies
    async with httpx.AsyncClient(base_url=platform.portal_url) as http:
        plain = await http.get("/login?lang=en", headers=tls)
    assert plain.headers.get_list("set-cookie")
    assert not any("Secure" in c for c in plain.headers.get_list("set-cookie"))
