"""The admin app's rules on a real catalog: operator sessions (rotated, idle and absolute
limits, ended with a disabled operator), the throttle that cannot lock an operator out from
elsewhere, package changes and their history, the call log's switch and purge, "resend all"
going on past failures, a new user with its password SMS sealed in the same transaction, and
background jobs one per key."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from catalog.tables import api_calls, operator_sessions, operators, outbox
from contracts.resend import ResendItem, ResendPage, ResendResult
from kit.db import transaction
from kit.errors import AppError, TooManyRequests, Unauthorized
from tenant_admin.app.users import service as users
from tenant_admin.app.users.forms import UserFields, check
from tenant_admin.audit.service import Actor
from tenant_admin.background import BackgroundJobs
from tenant_admin.calllog import service as calllog
from tenant_admin.errors import PackageRefused
from tenant_admin.housekeeping import clean_up
from tenant_admin.operators import service as operators_service
from tenant_admin.operators.service import OperatorSessionGone
from tenant_admin.operators.throttle import AccountThrottle
from tenant_admin.packages import service as packages
from tenant_admin.resend import service as resend
from tenant_admin.runtime import AdminRuntime
from tenant_admin.sessions import SessionLimits
from tenant_admin.tenants.service import register_customer

from .helpers import tenant_request, unique_username

LIMITS = SessionLimits(idle_s=600, max_s=3600)
PASSWORD = "operator-password-1"
ACTOR = Actor("op-test", "10.1.2.3")


async def _operator(runtime: AdminRuntime) -> str:
    username = unique_username("op")
    async with transaction(runtime.engine) as conn:
        await operators_service.create_operator(conn, username, PASSWORD)
    return username


async def _open(runtime: AdminRuntime, username: str, ip: str = "10.0.0.1") -> str:
    async with transaction(runtime.engine) as conn:
        session = await operators_service.open_session(
            conn, AccountThrottle.of(5, 900), LIMITS, (username, PASSWORD, ip)
        )
    return session.session_id


async def _load(runtime: AdminRuntime, session_id: str) -> str:
    async with transaction(runtime.engine) as conn:
        return (await operators_service.load_session(conn, LIMITS, session_id)).username


async def test_operator_sessions_rotate_expire_and_end_with_the_operator(
    runtime: AdminRuntime,
) -> None:
    username = await _operator(runtime)
    first, second = await _open(runtime, username), await _open(runtime, username)
    assert first != second and await _load(runtime, first) == username
    async with transaction(runtime.engine) as conn:
        stored = (await conn.execute(select(operator_sessions.c.id_hash))).scalars().all()
        assert first not in stored and len(stored) == 2  # only hashes
        await conn.execute(
            update(operator_sessions).values(last_seen_at=func.now() - timedelta(minutes=11))
        )
    with pytest.raises(OperatorSessionGone):
        await _load(runtime, first)  # idle too long
    third = await _open(runtime, username)
    async with transaction(runtime.engine) as conn:
        await conn.execute(update(operators).values(disabled=True))
    with pytest.raises(OperatorSessionGone):
        await _load(runtime, third)  # its operator was disabled
    with pytest.raises(Unauthorized):
        await _open(runtime, username)


def test_the_throttle_stops_a_guesser_but_not_the_operator_elsewhere() -> None:
    throttle = AccountThrottle.of(5, 900)
    for _ in range(5):
        throttle.failed("op", "203.0.113.7")
    with pytest.raises(TooManyRequests):
        throttle.check("op", "203.0.113.7")
    throttle.check("op", "198.51.100.9")  # the operator, from the office
    for n in range(20):  # one address spraying names
        throttle.failed(f"user{n}", "203.0.113.8")
    with pytest.raises(TooManyRequests):
        throttle.check("someone-else", "203.0.113.8")
    for n in range(50):  # one name from many addresses
        throttle.failed("target", f"192.0.2.{n}")
    with pytest.raises(TooManyRequests):
        throttle.check("target", "198.51.100.10")


async def _customer(runtime: AdminRuntime) -> str:
    async with transaction(runtime.engine) as conn:
        return (await register_customer(conn, tenant_request())).customer_id


async def test_package_changes_are_refused_or_recorded_with_who(runtime: AdminRuntime) -> None:
    customer_id = await _customer(runtime)
    start = datetime.now(UTC) - timedelta(days=1)
    async with transaction(runtime.engine) as conn:
        sold = await packages.sell_package(
            conn, customer_id, 10, start, start + timedelta(days=30), by="anna"
        )
        await conn.execute(update(packages.repository.packages).values(calls_used=6))
    async with transaction(runtime.engine) as conn:
        with pytest.raises(PackageRefused) as below:
            await packages.set_call_limit(conn, customer_id, sold.id, 5, by="anna")
        with pytest.raises(PackageRefused) as early:
            await packages.move_end(conn, customer_id, sold.id, start - timedelta(hours=1), by="a")
        with pytest.raises(PackageRefused) as unknown:
            await packages.move_end(conn, customer_id, sold.id + 999, start, by="a")
    assert (below.value.reason, early.value.reason) == ("limit_below_used", "end_before_start")
    assert unknown.value.reason == "unknown_package"
    new_end = start + timedelta(days=400)
    async with transaction(runtime.engine) as conn:
        await packages.set_call_limit(conn, customer_id, sold.id, 6, by="bob")
        await packages.move_end(conn, customer_id, sold.id, new_end, by="anna")
        history = await packages.history(conn, customer_id)
    assert [(c.kind, c.changed_by) for c in history] == [
        ("extended", "anna"),
        ("limit", "bob"),
        ("sold", "anna"),
    ]
    assert (history[1].old_call_limit, history[1].new_call_limit) == (10, 6)
    assert history[0].new_ends_at == new_end


async def test_the_call_log_switch_and_its_purge(runtime: AdminRuntime) -> None:
    customer_id = await _customer(runtime)
    async with transaction(runtime.engine) as conn:
        assert await calllog.switch(conn, customer_id, True)
        assert not await calllog.switch(conn, customer_id, True)  # no change, no trail line
        now = datetime.now(UTC)
        row = {"customer_id": customer_id, "method": "GET", "path": "/invoice-data",
               "status": 200, "latency_ms": 1.5}  # fmt: skip
        await conn.execute(
            insert(api_calls), [row | {"at": now - timedelta(days=31)}, row | {"at": now}]
        )
    assert await clean_up(runtime.engine, 30) >= 1
    async with transaction(runtime.engine) as conn:
        kept = await calllog.calls(conn, customer_id, calllog.CallFilters())
        four = await calllog.calls(conn, customer_id, calllog.CallFilters(statuses=(400, 499)))
    assert len(kept) == 1 and kept[0].at > datetime.now(UTC) - timedelta(days=1) and not four


def _item(n: int) -> ResendItem:
    return ResendItem(
        transmission_id=n, tenant_id="t", customer_username=f"user{n}", uid=f"U{n}",
        temporary_code=f"TEMP{n}", last_attempt_at=None, attempts=1, last_error="down",
    )  # fmt: skip


class FakeResendApi:
    """mydata-sync's resend API: item 2 cannot be reached, item 3 stays deferred."""

    def __init__(self, count: int) -> None:
        self.items = [_item(n) for n in range(1, count + 1)]
        self.resent: list[int] = []

    async def page(self, limit: int, offset: int) -> ResendPage:
        shown = self.items[offset : offset + limit]
        return ResendPage(items=shown, total=len(self.items), limit=limit, offset=offset)

    async def resend(self, transmission_id: int) -> ResendResult:
        self.resent.append(transmission_id)
        if transmission_id == 2:
            raise AppError("mydata-sync did not answer")
        state = "deferred" if transmission_id == 3 else "transmitted"
        return ResendResult(
            transmission_id=transmission_id, tenant_id="t", uid=f"U{transmission_id}",
            state=state, ok=state != "deferred", message=f"{state} now",
        )  # fmt: skip


async def test_resend_all_goes_on_past_failures_and_reports_each(runtime: AdminRuntime) -> None:
    api = FakeResendApi(7)
    async with transaction(runtime.engine) as conn:
        job_id = await resend.start_job(conn, "op-test")
        with pytest.raises(resend.JobRunning):
            await resend.start_job(conn, "someone")
    await resend.run_job(runtime.engine, api, job_id, batch_size=3)
    async with transaction(runtime.engine) as conn:
        job = await resend.job(conn, job_id)
        items = await resend.job_items(conn, job_id)
    assert job is not None and job.state == "finished" and job.total == job.done == 7
    assert (job.transmitted, job.deferred, job.errors) == (5, 1, 1) and job.percent == 100
    assert sorted(api.resent) == list(range(1, 8))  # every one tried, past the failures
    by_id = {i.transmission_id: i for i in items}
    assert by_id[2].outcome == "error" and "did not answer" in by_id[2].message
    assert by_id[3].outcome == "deferred" and by_id[7].username == "user7"


async def test_a_job_left_running_by_a_stopped_process_is_interrupted(
    runtime: AdminRuntime,
) -> None:
    async with transaction(runtime.engine) as conn:
        job_id = await resend.start_job(conn, "op-test")
        assert await resend.interrupt_stale(conn) == 1
        job = await resend.job(conn, job_id)
    assert job is not None and job.state == "interrupted"


async def test_a_new_user_and_its_sealed_password_sms_commit_together(
    runtime: AdminRuntime,
) -> None:
    request = tenant_request(vat="094420307", mobile="690 000 0001", surname="S", name="N")
    fields = UserFields(
        company_name=request.company_name, vat=request.vat, surname="S", name="N",
        mobile=request.mobile, email="new@example.gr", role="customer", contract_serial="SN-9",
        username=request.username, password="Generated-pass-9!", must_change_password="1",
        language="en",
    )  # fmt: skip
    problems, checked = check(fields, new=True, sending=True)
    assert not problems and checked is not None and checked.mobile == "+306900000001"
    async with transaction(runtime.engine) as conn:
        customer_id = await users.create_user(conn, runtime.keyring, ACTOR, checked)
        again = await users.create_user(conn, runtime.keyring, ACTOR, checked)
    assert isinstance(customer_id, str) and isinstance(again, dict) and "username" in again
    async with transaction(runtime.engine) as conn:
        bodies = (await conn.execute(select(outbox.c.body))).scalars().all()
    commands = [json.loads(b) for b in bodies if b"notification.requested" in b]
    assert len(commands) == 1
    payload = commands[0]["payload"]
    assert payload["to"] == "+306900000001" and payload["language"] == "en"
    assert payload["customer_id"] == customer_id and "password" not in payload["params"]
    sealed = payload["sealed_params"]["password"]
    assert runtime.keyring.open(sealed, "notification.password") == "Generated-pass-9!"


async def test_background_jobs_run_one_per_key() -> None:
    jobs, release, runs = BackgroundJobs(), asyncio.Event(), []

    async def work() -> None:
        runs.append(1)
        await release.wait()

    assert jobs.start("k", work) and not jobs.start("k", work) and jobs.running("k")
    release.set()
    await jobs.wait("k")
    assert not jobs.running("k") and runs == [1]
    assert jobs.start("k", work)
    await jobs.stop()
    assert not jobs.running("k")
