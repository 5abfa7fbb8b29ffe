"""The access table (OWASP API1 BOLA, API5 BFLA): every operation of every service's API ×
every kind of caller. A cell either lets the caller past the credential check (any answer but
401/403, and never ≥ 500) or refuses it (401/403). Which callers each route admits is written
once below, as rules per service and path; the table is built from the services' own route
lists, so a new route is in it the day it is added.

Callers: nobody; customers A and B with their API tokens; an operator; a service calling about
no tenant; a service token with no tenant that names A in X-Tenant-Id (once a key to every
tenant); a token bound to A naming A (what the gateway and the portal send for A); a token
bound to B naming A; a token bound to A but addressed to another service (captured on its way
there). The portal's pages, where AADE users granted or not granted A log in,
have their own table in tests/portal/test_auditors.py.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.platform import Customer, Platform
from testkit.invoices import sample_invoice

from . import creds
from .creds import SERVICES

ROLES = (
    "nobody",
    "customer_a",
    "customer_b",
    "operator",
    "service",
    "service_naming_a",
    "bound_a",
    "bound_b_naming_a",
    "bound_a_for_another_service",
)
INTERNAL = frozenset({"service", "service_naming_a", "bound_a", "bound_b_naming_a"})
# The service a token that is not addressed to the one under test was made for.
ELSEWHERE = {"mydata-sync": "invoice-service"}
SUMMARY = Path(__file__).resolve().parents[2] / ".run" / "access-summary.json"


def admitted(service: str, path: str) -> frozenset[str]:
    """Who gets past the credential check of ``service``'s ``path``."""
    if service == "api-gateway":
        if path == "/status":
            # Public (the platform's and myDATA's state); a token, when sent, must be valid.
            return frozenset({"nobody", "customer_a", "customer_b"})
        return frozenset({"customer_a", "customer_b"})
    if service in ("invoice-service", "webhooks", "portal-web"):
        return frozenset({"bound_a"})  # one tenant's data: only a token bound to it
    if service == "tenant-admin":
        if path == "/admin/login":
            return frozenset(ROLES)  # public: the credentials are in the body
        if path.startswith("/admin/"):
            return frozenset({"operator"})
        return _tenant_admin_internal(path)
    if service == "mydata-sync":
        return _mydata_sync(path)
    if service == "notifier":
        return _notifier(path)
    raise AssertionError(f"no rule for {service}")


def _tenant_admin_internal(path: str) -> frozenset[str]:
    if path == "/internal/connection-loss-notices/unmatched":
        return frozenset({"service", "service_naming_a"})  # everybody's: no tenant's token
    if path.startswith("/internal/connection-loss-notices"):
        return frozenset({"bound_a"})  # a customer's own notices, forwarded by the gateway
    return INTERNAL


# A token that names a tenant it is not bound to is refused wherever a tenant is named.
NAMES_ONLY_ITS_OWN = frozenset({"service", "bound_a"})


def _mydata_sync(path: str) -> frozenset[str]:
    if path == "/internal/vat-registry-codes":
        return frozenset({"bound_a"})  # a tenant's stored GSIS codes
    if path.startswith(("/internal/vat-registry/", "/internal/status")):
        return NAMES_ONLY_ITS_OWN
    return INTERNAL  # receivers (myDATA's public answer about a VAT), transmissions, resend


def _notifier(path: str) -> frozenset[str]:
    if path == "/sms/delivery-reports":
        return frozenset()  # the SMS gateway's own Basic credentials, none of these
    if path in ("/internal/notifications", "/internal/invoice-emails"):
        # Everybody's messages: only a token bound to no tenant (the admin app's); a bound
        # token lists its own tenant's, with tenant_id (not given here).
        return frozenset({"service", "service_naming_a"})
    if path.startswith("/internal/invoice-emails/{tenant_id}"):
        return frozenset({"service", "service_naming_a", "bound_a"})
    return INTERNAL


def _headers(role: str, a: Customer, b: Customer, service: str) -> dict[str, str]:
    """``role``'s credentials; internal tokens addressed to ``service`` but the last kind."""
    naming_a = {"X-Tenant-Id": a.tenant_id}
    elsewhere = ELSEWHERE.get(service, "mydata-sync")
    make: dict[str, Callable[[], dict[str, str]]] = {
        "nobody": dict,
        "customer_a": lambda: a.headers,
        "customer_b": lambda: b.headers,
        "operator": creds.operator_token,
        "service": lambda: creds.internal_unbound(service),
        "service_naming_a": lambda: creds.internal_unbound(service) | naming_a,
        "bound_a": lambda: creds.internal_for(a, service),
        "bound_b_naming_a": lambda: creds.internal_for(b, service) | naming_a,
        "bound_a_for_another_service": lambda: creds.internal_for(a, elsewhere),
    }
    return make[role]()


def _concrete(path: str, a: Customer) -> str:
    """Path parameters filled in: A's tenant, a well-formed id of nothing for the rest."""
    values = {"tenant_id": a.tenant_id, "uid": "ABCDEF0123", "vat": "094019245"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def _operations(platform: Platform) -> list[tuple[str, str, str]]:
    found = []
    for service in SERVICES:
        document = platform.app(service).openapi()
        for path, operations in document["paths"].items():
            if path in ("/healthz", "/readyz"):
                continue
            found += [(service, method.upper(), path) for method in operations]
    return found


async def _cell(
    http: httpx.AsyncClient, url: str, method: str, headers: dict[str, str]
) -> httpx.Response:
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    sent = headers | ({"Content-Type": "application/json"} if body else {})
    return await http.request(method, url, headers=sent, content=body)


async def test_every_route_admits_exactly_its_callers(platform: Platform) -> None:
    a = await platform.create_customer()
    b = await platform.create_customer()
    wrong: list[str] = []
    cells = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for service, method, path in _operations(platform):
            url = platform.servers[service].url + _concrete(path, a)
            allowed = admitted(service, path)
            for role in ROLES:
                cells += 1
                answer = await _cell(http, url, method, _headers(role, a, b, service))
                refused = answer.status_code in (401, 403)
                if answer.status_code >= 500 or refused == (role in allowed):
                    wrong.append(f"{role} {method} {service}{path} → {answer.status_code}")
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(json.dumps({"cells": cells, "wrong": wrong}, indent=1))
    print(f"\naccess table: {cells} cells, {len(wrong)} wrong")
    assert wrong == []
    assert cells >= 70 * len(ROLES)  # every operation was in the table (72 today)


async def test_one_customer_never_reads_anothers_invoice(platform: Platform) -> None:
    """BOLA with real data: A issues an invoice; B looks for it everywhere it could."""
    a = await platform.create_customer()
    b = await platform.create_customer()
    pnr01 = f"SEC-{uuid.uuid4().hex}"
    posted = await platform.gateway.post(
        "/invoice-data", json=sample_invoice(pnr01=pnr01), headers=a.headers
    )
    assert posted.status_code == 200, posted.text
    uid = posted.json()["data"]["uid"]
    gateway = await platform.gateway.get(
        "/invoice-data", params={"pnr01": pnr01}, headers=b.headers
    )
    assert gateway.status_code == 404
    own = await platform.gateway.get("/invoice-data", params={"pnr01": pnr01}, headers=a.headers)
    assert own.status_code == 200
    invoice_service = platform.servers["invoice-service"].url
    async with httpx.AsyncClient(base_url=invoice_service, timeout=30) as http:
        path = f"/internal/invoices/{uid}"
        as_b = await http.get(path, headers=creds.internal_for(b, "invoice-service"))
        as_a = await http.get(path, headers=creds.internal_for(a, "invoice-service"))
        b_naming_a = creds.internal_for(b, "invoice-service") | {"X-Tenant-Id": a.tenant_id}
        forged = await http.get(path, headers=b_naming_a)
        to_sync = await http.get(path, headers=creds.internal_for(a, "mydata-sync"))
    statuses = (as_b.status_code, as_a.status_code, forged.status_code, to_sync.status_code)
    assert statuses == (404, 200, 401, 401)


async def test_credentials_are_checked_before_any_body_is_read(platform: Platform) -> None:
    """A write with a broken body and no (or a foreign) token learns nothing about the body's
    rules: 401, never the 400 that names fields (kit.credentials)."""
    a = await platform.create_customer()
    wrong: list[str] = []
    writes = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for service, method, path in _operations(platform):
            if method not in ("POST", "PUT", "PATCH") or service == "api-gateway":
                continue
            if not admitted(service, path) or admitted(service, path) == frozenset(ROLES):
                continue  # the SMS gateway's own credentials; the public login
            writes += 1
            url = platform.servers[service].url + _concrete(path, a)
            for headers in ({}, a.headers):
                sent = headers | {"Content-Type": "application/json"}
                answer = await http.request(method, url, headers=sent, content=b'{"broken":')
                if answer.status_code != 401:
                    wrong.append(f"{method} {service}{path} → {answer.status_code}")
    assert writes >= 15
    assert wrong == []
