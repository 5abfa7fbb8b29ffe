"""Usernames, API tokens (with the revocation event) and packages."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from catalog.tables import api_tokens, outbox
from kit.db import transaction
from tenant_admin.errors import InvalidInput, InvalidUsername, UsernameTaken
from tenant_admin.issuers.service import authorise, issuer_vats, revoke
from tenant_admin.packages.service import add_package, list_packages
from tenant_admin.runtime import AdminRuntime
from tenant_admin.tenants.service import register_customer, validate_username
from tenant_admin.tokens.service import issue_token

from .helpers import tenant_request, unique_username


@pytest.mark.parametrize("name", ["9abc", "_abc", "a b", "ab.c", "", "a" * 51, "αβγ"])
def test_bad_usernames_are_refused(name: str) -> None:
    with pytest.raises(InvalidUsername):
        validate_username(name)


@pytest.mark.parametrize("name", ["a", "Abc_1-x", "z" * 50])
def test_good_usernames_pass(name: str) -> None:
    assert validate_username(name) == name


async def test_usernames_are_unique_ignoring_case(runtime: AdminRuntime) -> None:
    name = unique_username("Case")
    request = tenant_request(username=name)
    async with transaction(runtime.engine) as conn:
        await register_customer(conn, tenant_request(username=name, calls=1))
    with pytest.raises(UsernameTaken):
        async with transaction(runtime.engine) as conn:
            await register_customer(conn, request.model_copy(update={"username": name.upper()}))


async def _customer(runtime: AdminRuntime) -> tuple[str, str]:
    async with transaction(runtime.engine) as conn:
        registered = await register_customer(conn, tenant_request())
    return registered.customer_id, registered.username


async def test_issuing_a_token_revokes_the_previous_and_announces_it(runtime: AdminRuntime) -> None:
    customer_id, username = await _customer(runtime)
    ttl = runtime.settings.api_token_ttl_seconds
    async with transaction(runtime.engine) as conn:
        first = await issue_token(conn, runtime.api_codec, customer_id, username, ttl)
        second = await issue_token(conn, runtime.api_codec, customer_id, username, ttl)
        tokens = dict((await conn.execute(select(api_tokens.c.id, api_tokens.c.revoked_at))).all())
        events = (await conn.execute(select(outbox.c.routing_key, outbox.c.body))).all()
    assert second.revoked == [first.jti]
    assert tokens[first.jti] is not None and tokens[second.jti] is None
    claims = runtime.api_codec.verify(second.api_token)
    assert (claims["sub"], claims["tid"], claims["usr"]) == (customer_id, customer_id, username)
    assert [key for key, _ in events] == ["token.revoked"]
    envelope = json.loads(events[0][1])
    assert envelope["payload"] == {"jti": first.jti, "customer_id": customer_id}


async def test_packages_are_added_and_listed_with_calls_used(runtime: AdminRuntime) -> None:
    customer_id, _ = await _customer(runtime)
    async with transaction(runtime.engine) as conn:
        package = await add_package(conn, customer_id, calls=250, days=30)
        listed = await list_packages(conn, customer_id)
    assert [(p.id, p.call_limit, p.calls_used) for p in listed] == [(package.id, 250, 0)]
    assert (package.ends_at - package.starts_at).days == 30


@pytest.mark.parametrize(
    "starts_at",
    [datetime(1961, 5, 1, tzinfo=UTC), datetime(2206, 1, 1, tzinfo=UTC), datetime(2026, 1, 1)],
    ids=["1961", "2206", "no-time-zone"],
)
async def test_a_package_start_that_is_a_typo_is_refused(
    runtime: AdminRuntime, starts_at: datetime
) -> None:
    customer_id, _ = await _customer(runtime)
    with pytest.raises(InvalidInput, match=r"^starts_at: "):
        async with transaction(runtime.engine) as conn:
            await add_package(conn, customer_id, calls=10, days=30, starts_at=starts_at)


async def test_a_customer_issues_under_its_own_vat_and_authorised_ones(
    runtime: AdminRuntime,
) -> None:
    customer_id, _ = await _customer(runtime)
    async with transaction(runtime.engine) as conn:
        own = await issuer_vats(conn, customer_id)
        assert await authorise(conn, customer_id, "090000045", "group company")
        assert not await authorise(conn, customer_id, "090000045", None)  # already
        with pytest.raises(InvalidInput, match="check digit"):
            await authorise(conn, customer_id, "090000046", None)
        assert await issuer_vats(conn, customer_id) == [*own, "090000045"]
        assert await revoke(conn, customer_id, "090000045")
        assert await issuer_vats(conn, customer_id) == own
