"""Token attacks (RFC 8725) against every kind of protected route: the gateway (customers' API
tokens, refused with seed 002's exact 401 body), tenant-admin's operator API, and the internal
APIs of invoice-service, mydata-sync, the notifier and webhooks. Each target first accepts its
valid token (so a refusal means something), then refuses every forgery and every real token
of another kind; a replaced API token is refused at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from api_gateway.settings import GatewaySettings
from harness.platform import Customer, Platform, wait_until
from kit.auth import (
    API_AUDIENCE,
    INTERNAL_AUDIENCE,
    OPERATOR_AUDIENCE,
    ServiceTokens,
    internal_audience,
)
from mydata_sync.settings import MydataSyncSettings
from notifier.settings import NotifierSettings
from portal_web.settings import PortalSettings

from . import creds
from .jwts import attacks, parts

UNAUTHORIZED = {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
AUDIENCES = (API_AUDIENCE, OPERATOR_AUDIENCE)


@dataclass(frozen=True, slots=True)
class Target:
    service: str
    path: str
    audience: str
    extra_headers: dict[str, str]


def _secret(audience: str) -> bytes:
    common = MydataSyncSettings(environment="test")
    if audience.startswith(INTERNAL_AUDIENCE):
        return common.internal_token_secret.encode()
    return {
        API_AUDIENCE: common.api_token_secret,
        OPERATOR_AUDIENCE: common.operator_token_secret,
    }[audience].encode()


def _targets(customer: Customer) -> list[Target]:
    tenant = {"X-Tenant-Id": customer.tenant_id}
    return [
        Target("api-gateway", "/invoice-data?pnr01=none", API_AUDIENCE, {}),
        Target("tenant-admin", "/admin/tenants?q=none", OPERATOR_AUDIENCE, {}),
        Target("invoice-service", "/internal/invoices/ABCDEF", _to("invoice-service"), tenant),
        Target("webhooks", "/internal/webhooks/endpoints", _to("webhooks"), tenant),
        Target("mydata-sync", "/internal/status", _to("mydata-sync"), {}),
        Target("notifier", "/internal/notifications?state=failed", _to("notifier"), {}),
    ]


_to = internal_audience
# Internal audiences a target must refuse: the bare prefix, and other services' own.
FOREIGN_INTERNAL = (INTERNAL_AUDIENCE, _to("tenant-admin"), _to("portal-web"), _to("nobody"))


def _valid(target: Target, customer: Customer) -> str:
    if target.audience == API_AUDIENCE:
        return customer.token
    if target.audience == OPERATOR_AUDIENCE:
        return creds.operator_token()["Authorization"].split()[1]
    if target.extra_headers:
        return creds.internal_for(customer, target.service)["Authorization"].split()[1]
    return creds.internal_unbound(target.service)["Authorization"].split()[1]


def _real_tokens_of_other_kinds(target: Target, customer: Customer) -> dict[str, str]:
    """Genuine tokens of every other kind, internal ones addressed to another service."""
    elsewhere = "invoice-service" if target.service == "mydata-sync" else "mydata-sync"
    kinds = {
        API_AUDIENCE: customer.token,
        OPERATOR_AUDIENCE: creds.operator_token()["Authorization"].split()[1],
        _to(elsewhere): creds.internal_for(customer, elsewhere)["Authorization"].split()[1],
    }
    return {f"real_{aud}_token": tok for aud, tok in kinds.items() if aud != target.audience}


Call = Callable[[str], Awaitable[httpx.Response]]


def _caller(platform: Platform, target: Target) -> Call:
    url = platform.servers[target.service].url + target.path

    async def call(token: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} | target.extra_headers
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.get(url, headers=headers)

    return call


async def test_every_forged_or_foreign_token_is_refused_everywhere(platform: Platform) -> None:
    customer = await platform.create_customer()
    tried, accepted = 0, []
    for target in _targets(customer):
        call = _caller(platform, target)
        valid = _valid(target, customer)
        # Accepted: past the credential check (a look-up of nothing is 404, never 401/403).
        assert (await call(valid)).status_code in (200, 404), f"{target.service}: valid refused"
        others = tuple(a for a in (*AUDIENCES, *FOREIGN_INTERNAL) if a != target.audience)
        forged = {
            name: forge(valid, _secret(target.audience)) for name, forge in attacks(others).items()
        } | _real_tokens_of_other_kinds(target, customer)
        for name, token in forged.items():
            tried += 1
            answer = await call(token)
            if answer.status_code != 401:
                accepted.append(f"{target.service} {name}: {answer.status_code}")
            elif target.service == "api-gateway" and answer.json() != UNAUTHORIZED:
                accepted.append(f"{target.service} {name}: body {answer.text[:200]}")
    print(f"\ntoken attacks: {tried} tried, {len(accepted)} accepted")
    assert tried >= 6 * 25
    assert accepted == []


async def test_a_replaced_api_token_is_refused_and_the_new_one_works(platform: Platform) -> None:
    customer = await platform.create_customer()
    gateway = _caller(platform, _targets(customer)[0])
    assert (await gateway(customer.token)).status_code == 404
    new_token = await platform.issue_token(customer.tenant_id, customer.username)

    async def old_refused() -> bool:
        return (await gateway(customer.token)).status_code == 401

    await wait_until(old_refused, within=3.0, interval=0.1)
    assert (await gateway(new_token)).status_code == 404


def test_internal_tokens_are_short_lived() -> None:
    """What services send each other lives a minute at most (``EINV_INTERNAL_TOKEN_TTL_S``), and
    is renewed before its last third (kit.auth.ServiceTokens)."""
    for settings in (GatewaySettings(), PortalSettings(), NotifierSettings()):
        assert settings.internal_token_ttl_s <= 60, type(settings).__name__
    tokens = ServiceTokens(creds.internal_codec("api-gateway"), "api-gateway").to("mydata-sync")
    claims = parts(tokens.get("t1", ()))[1]
    assert claims["aud"] == "einvoicing-internal:mydata-sync"
    assert claims["exp"] - claims["iat"] <= 60
