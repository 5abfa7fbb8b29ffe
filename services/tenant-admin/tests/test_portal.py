"""Portal users on a real catalog: login and throttling, sessions, first login, password rules,
token, packages, auditors; the directory of public strings filled from outcome events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from catalog.tables import audit_views, portal_sessions
from contracts.events import InvoiceDeferred, InvoiceTransmitted, envelope_of
from contracts.portal import PortalSession
from kit.db import transaction
from kit.errors import Forbidden, InvalidRequest, TooManyRequests
from tenant_admin.directory.consumer import DirectoryConsumer
from tenant_admin.directory.service import look_up
from tenant_admin.operators.throttle import AccountThrottle
from tenant_admin.packages.service import add_package
from tenant_admin.passwords import broken_rules, generate_portal_password
from tenant_admin.portal import service
from tenant_admin.portal.service import SessionGone, WrongCredentials
from tenant_admin.runtime import AdminRuntime
from tenant_admin.sessions import SessionLimits
from tenant_admin.tenants.service import register_customer, reset_password

from .helpers import tenant_request, unique_username

LIMITS = SessionLimits(idle_s=1800, max_s=3600)
PASSWORD = "Correct-horse-1"


async def _customer(runtime: AdminRuntime, **overrides: object) -> tuple[str, str]:
    request = tenant_request(password=PASSWORD, **overrides)
    async with transaction(runtime.engine) as conn:
        registered = await register_customer(conn, request)
    return registered.customer_id, registered.username


async def _login(
    runtime: AdminRuntime, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"
) -> PortalSession:
    async with transaction(runtime.engine) as conn:
        return await service.login(conn, runtime.portal_throttle, LIMITS, (username, password, ip))


async def _load(runtime: AdminRuntime, session_id: str) -> service.LoadedSession:
    async with transaction(runtime.engine) as conn:
        return await service.load_session(conn, LIMITS, session_id)


def test_password_rules_one_key_per_broken_rule() -> None:
    assert broken_rules("short") == ["min_length", "upper", "digit", "symbol"]
    assert broken_rules("ALLUPPER1!") == ["lower"]
    assert broken_rules("Κωδικός-2026") == []  # Greek letters count as letters
    assert all(not broken_rules(generate_portal_password()) for _ in range(50))


async def test_login_makes_a_new_session_each_time_and_wrong_credentials_look_alike(
    runtime: AdminRuntime,
) -> None:
    _, username = await _customer(runtime)
    first, second = await _login(runtime, username), await _login(runtime, username)
    assert first.session_id != second.session_id  # rotated at every login: no fixation
    assert first.user.username == username and first.user.must_change_password
    for name, password in ((username, "Wrong-pass-1"), (unique_username(), PASSWORD)):
        with pytest.raises(WrongCredentials) as refused:
            await _login(runtime, name, password)
        assert refused.value.status_code == 401
    async with runtime.engine.connect() as conn:
        stored = (await conn.execute(select(portal_sessions.c.id_hash))).scalars().all()
    assert first.session_id not in stored  # only its hash is kept


async def test_throttle_stops_a_guesser_but_not_the_user_from_another_address(
    runtime: AdminRuntime,
) -> None:
    _, username = await _customer(runtime)
    for _ in range(5):
        with pytest.raises(WrongCredentials):
            await _login(runtime, username, "Wrong-pass-1", ip="10.9.9.9")
    with pytest.raises(TooManyRequests) as throttled:
        await _login(runtime, username, PASSWORD, ip="10.9.9.9")
    assert int(throttled.value.headers["Retry-After"]) > 0
    assert (await _login(runtime, username, ip="10.1.1.1")).user.username == username


def test_throttle_per_address_across_users() -> None:
    throttle = AccountThrottle.of(5, 900)
    for i in range(20):
        throttle.failed(f"user{i}", "10.7.7.7")
    with pytest.raises(TooManyRequests):
        throttle.check("someone-else", "10.7.7.7")


async def test_idle_and_ended_sessions_are_gone(runtime: AdminRuntime) -> None:
    _, username = await _customer(runtime)
    portal = await _login(runtime, username)
    async with transaction(runtime.engine) as conn:
        stale = func.now() - timedelta(hours=1)
        await conn.execute(update(portal_sessions).values(last_seen_at=stale))
    with pytest.raises(SessionGone):
        await _load(runtime, portal.session_id)
    again = await _login(runtime, username)
    async with transaction(runtime.engine) as conn:
        await service.logout(conn, again.session_id)
    with pytest.raises(SessionGone):
        await _load(runtime, again.session_id)


async def test_first_login_password_rules_then_both_acceptances(runtime: AdminRuntime) -> None:
    customer_id, username = await _customer(runtime)
    loaded = await _load(runtime, (await _login(runtime, username)).session_id)
    user = loaded.portal.user
    with pytest.raises(InvalidRequest) as weak:
        async with transaction(runtime.engine) as conn:
            await service.change_password(conn, user, loaded.user_id, PASSWORD, "weakpass")
    assert weak.value.code == "password_rules"
    assert weak.value.data and weak.value.data["rules"] == ["upper", "digit", "symbol"]
    async with transaction(runtime.engine) as conn:
        await service.change_password(conn, user, loaded.user_id, PASSWORD, "New-Secret-42")
    with pytest.raises(InvalidRequest) as half:
        async with transaction(runtime.engine) as conn:
            await service.accept_terms(conn, user, True, False, "10.0.0.1")
    assert half.value.problems == ["usage: must be accepted"]
    async with transaction(runtime.engine) as conn:
        await service.accept_terms(conn, user, True, True, "10.0.0.1")
    after = (await _load(runtime, loaded.portal.session_id)).portal.user
    assert not after.must_change_password and after.accepted_terms
    assert (await _login(runtime, username, "New-Secret-42")).user.customer_id == customer_id


async def test_token_and_packages_only_after_first_login(runtime: AdminRuntime) -> None:
    customer_id, username = await _customer(runtime)
    async with transaction(runtime.engine) as conn:
        await add_package(conn, customer_id, calls=10, days=30)
    user = (await _login(runtime, username)).user
    with pytest.raises(Forbidden):
        service.require_ready(user)
    async with transaction(runtime.engine) as conn:
        first = await service.new_api_token(conn, runtime.api_codec, 3600, user)
        second = await service.new_api_token(conn, runtime.api_codec, 3600, user)
        listed = await service.packages(conn, customer_id)
    assert first.api_token != second.api_token and second.revoked == 1
    assert [(p.call_limit, p.active) for p in listed] == [(10, True)]


async def test_reset_password_forces_a_change_and_ends_sessions(runtime: AdminRuntime) -> None:
    customer_id, username = await _customer(runtime)
    portal = await _login(runtime, username)
    async with transaction(runtime.engine) as conn:
        password = await reset_password(conn, customer_id, username)
    assert broken_rules(password) == []
    with pytest.raises(SessionGone):
        await _load(runtime, portal.session_id)
    assert (await _login(runtime, username, password)).user.must_change_password


async def test_an_auditor_sees_granted_customers_only_and_views_are_recorded(
    runtime: AdminRuntime,
) -> None:
    granted_id, granted = await _customer(runtime)
    other_id, _ = await _customer(runtime)
    _, auditor = await _customer(runtime, role="aade_user", sees_data_of=[granted], calls=1)
    loaded = await _load(runtime, (await _login(runtime, auditor)).session_id)
    assert [c.customer_id for c in loaded.portal.user.sees] == [granted_id]
    with pytest.raises(Forbidden):
        async with transaction(runtime.engine) as conn:
            await service.act_for(conn, loaded.portal, other_id, loaded.user_id, "10.0.0.2")
    async with transaction(runtime.engine) as conn:
        await service.act_for(conn, loaded.portal, granted_id, loaded.user_id, "10.0.0.2")
    acting = await _load(runtime, loaded.portal.session_id)
    assert acting.portal.acting_for and acting.portal.acting_for.customer_id == granted_id
    async with transaction(runtime.engine) as conn:
        await service.record_view(conn, acting.portal, acting.user_id, "invoice X", "10.0.0.2")
        trail = (await conn.execute(select(audit_views.c.customer_id, audit_views.c.what))).all()
    assert trail == [(granted_id, "opened the customer"), (granted_id, "invoice X")]


async def test_directory_is_filled_from_outcome_events_once(runtime: AdminRuntime) -> None:
    common = {"tenant_id": "t" * 32, "invoice_id": 7, "uid": "AB" * 20}
    deferred = InvoiceDeferred(
        **common, temporary_code="TEMP" * 10, temp_qr_code="ab" * 32, reason="down",
        attempts=1, next_attempt_at=datetime.now(UTC),
    )  # fmt: skip
    transmitted = InvoiceTransmitted(
        **common, temporary_code="TEMP" * 10, temp_qr_code="ab" * 32, mark="400000000000001",
        authentication_code="AUTH" * 10, qr_url=None, request_xml=None, response_xml=None,
    )  # fmt: skip
    consumer = DirectoryConsumer(runtime.engine)
    for event in (deferred, transmitted, transmitted):  # a redelivery changes nothing
        await consumer(envelope_of(event, tenant_id=common["tenant_id"]))
    async with transaction(runtime.engine) as conn:
        found = [await look_up(conn, code) for code in ("TEMP" * 10, "ab" * 32, "AUTH" * 10)]
    assert [(f.kind, f.uid) for f in found] == [
        ("temporary", common["uid"]),
        ("temp_qr", common["uid"]),
        ("authentication", common["uid"]),
    ]
