"""Token revocation reaches the gateway as an event (token.revoked), not by cache expiry."""

from __future__ import annotations

import time

import httpx

from harness.platform import Customer, Platform, wait_until

REVOKED_WITHIN_S = 3.0


async def look_up_status(platform: Platform, customer: Customer) -> int:
    response: httpx.Response = await platform.gateway.get(
        "/invoice-data", params={"pnr01": "nothing-here"}, headers=customer.headers
    )
    return response.status_code


async def test_new_token_makes_the_gateway_refuse_the_old_one_within_seconds(
    platform: Platform,
) -> None:
    # The platform's token cache TTL (30 s) is far longer than the wait: only the event can
    # explain the refusal. The first look-up puts the old token's status in that cache.
    old = await platform.create_customer(calls=1)
    assert await look_up_status(platform, old) == 404
    new_token = await platform.issue_token(old.tenant_id, old.username)
    started = time.monotonic()

    async def refused() -> bool:
        return await look_up_status(platform, old) == 401

    await wait_until(refused, within=REVOKED_WITHIN_S, interval=0.1)
    assert time.monotonic() - started < platform.timings.token_cache_ttl_s
    new = Customer(old.tenant_id, old.username, new_token)
    assert await look_up_status(platform, new) == 404
