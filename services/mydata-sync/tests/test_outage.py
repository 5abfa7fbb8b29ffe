"""myDATA outages against the real aade-sim: breaker, blackhole, heal + sweep, ambiguous timeouts.

Exactly-once is checked with the simulator's own counters: one registration per uid.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mydata_sync.breaker import BreakerState
from mydata_sync.db.tables import attempts
from mydata_sync.transmissions import repository as repo
from mydata_sync.transmissions.repository import ClaimMode

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import EventListener, SettingsFactory, Sim, SyncApp, SyncRunner

Invoice = Callable[..., dict[str, Any]]
OUTAGE_FLAG = "transmissionFailure>2</"
BLACKHOLE_TIMEOUT_S = 1.5


async def _request_xmls(sync: SyncApp, transmission_id: int) -> list[str]:
    stmt = (
        select(attempts.c.request_xml)
        .where(attempts.c.transmission_id == transmission_id)
        .order_by(attempts.c.id)
    )
    async with sync.runtime.engine.connect() as conn:
        return list((await conn.execute(stmt)).scalars())


async def _until(check: Callable[[], Any], within: float = 10.0) -> None:
    # Polling on purpose: the condition lives in another service's answers, not in an Event.
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_down_opens_the_breaker_then_answers_deferred_without_calling(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    await sim.fault("down")
    async with running(await sync_settings(breaker_cooldown_s=60)) as sync:
        tripping = [await sync.transmit(invoice()) for _ in range(2)]
        later = [await sync.transmit(invoice()) for _ in range(3)]
        metrics = (await sync.http.get("/metrics")).text
        ready = await sync.http.get("/readyz")
    assert [a["state"] for a in tripping + later] == ["deferred"] * 5
    assert all(a["attempts"] == 1 and "mark" not in a for a in tripping)
    assert all(a["attempts"] == 0 and "request_xml" not in a for a in later)
    assert await sim.applied("down") == 2  # nothing went out while open
    assert "mydata_circuit_state 2.0" in metrics
    assert ready.status_code == 200 and "mydata_circuit:open" in ready.json()["checks"]


async def test_blackhole_defers_then_heal_transmits_each_exactly_once(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
) -> None:
    bodies = [invoice() for _ in range(4)]
    await sim.fault("blackhole")
    # A timeout and a cool-down long enough that "answered at once" keeps a wide margin on a
    # loaded CI machine (and the breaker stays open for both calls that must not wait).
    settings = await sync_settings(
        mydata_timeout_s=BLACKHOLE_TIMEOUT_S,
        lease_s=3 * BLACKHOLE_TIMEOUT_S,
        breaker_cooldown_s=5.0,
        sweep_interval_s=0.2,
    )
    async with running(settings) as sync:
        timings = []
        for body in bodies:
            started = time.monotonic()
            answer = await sync.transmit(body)
            timings.append(time.monotonic() - started)
            assert answer["state"] == "deferred", answer
        assert min(timings[:2]) >= BLACKHOLE_TIMEOUT_S * 0.9  # waited for the timeout
        assert max(timings[2:]) < BLACKHOLE_TIMEOUT_S / 2  # breaker open: nobody waited
        assert (await sync.resend_list())["total"] == 4

        await sim.fault("none")  # heal: the background sweep takes over
        await _until(lambda: _list_empty(sync), within=20.0)  # after the cool-down
        rows = [await _row(sync, b) for b in bodies]
        xmls = [await _request_xmls(sync, r.id) for r in rows]
        for body in bodies:
            await events.wait_for(body["uid"], 2)
    for body, row, sent in zip(bodies, rows, xmls, strict=True):
        assert row.state == "transmitted" and len(row.mark) == 15
        assert await sim.count(body["uid"]) == 1
        assert OUTAGE_FLAG in sent[-1]  # the re-send says a provider outage happened
        kinds = [e["type"] for e in events.for_uid(body["uid"])]
        assert kinds == ["invoice.deferred", "invoice.transmitted"]


async def _list_empty(sync: SyncApp) -> bool:
    return (await sync.resend_list())["total"] == 0


async def _row(sync: SyncApp, body: dict[str, Any]) -> Any:
    async with sync.runtime.engine.connect() as conn:
        return await repo.get(conn, repo.by_key(body["tenant_id"], body["uid"]))


async def test_registered_then_timeout_is_recovered_with_the_original_mark(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
) -> None:
    body = invoice()
    await sim.fault("register_then_timeout", count=1)
    async with running(await sync_settings()) as sync:
        first = await sync.transmit(body)
        assert first["state"] == "deferred"
        await asyncio.sleep(0.25)  # backoff in tests: 0.2 s
        assert await sync.runtime.sweeper.sweep_once() == 1
        row = await _row(sync, body)
        await events.wait_for(body["uid"], 2)
    original = await sim.registered(body["uid"])
    assert row.state == "transmitted"
    assert row.mark == str(original["mark"])
    assert row.authentication_code == original["authentication_code"]
    registrations = await sim.registrations()
    assert registrations["by_uid"][body["uid"]] == 1
    assert registrations["duplicate_attempts"][body["uid"]] == 1
    transmitted = events.for_uid(body["uid"])[-1]
    assert transmitted["payload"]["mark"] == row.mark


async def test_worker_killed_mid_call_is_recovered_after_its_lease(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    """A worker claimed the invoice, myDATA registered it, the worker died (kill -9): no
    outcome is ever recorded. After the lease the sweep re-sends, meets 228, keeps the MARK."""
    body = invoice()
    settings = await sync_settings(lease_s=1.5)
    async with running(settings) as sync:
        await sync.transmit(body | {"uid": body["uid"]})  # record it normally first…
        async with sync.runtime.engine.begin() as conn:  # …then fake a dead worker's claim
            await conn.execute(
                repo.transmissions.update()
                .where(repo.by_key(body["tenant_id"], body["uid"]))
                .values(state="deferred", mark=None, authentication_code=None)
            )
            dead = await repo.claim(
                conn, repo.by_key(body["tenant_id"], body["uid"]), ClaimMode.FORCE, 1.5, "dead"
            )
        assert dead is not None
        assert await sync.runtime.sweeper.sweep_once() == 0  # leased: nobody touches it
        await asyncio.sleep(1.6)
        assert await sync.runtime.sweeper.sweep_once() == 1
        row = await _row(sync, body)
    assert row.state == "transmitted"
    assert row.mark == str((await sim.registered(body["uid"]))["mark"])
    assert await sim.count(body["uid"]) == 1


async def test_wrong_provider_credentials_defer_instead_of_rejecting(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    body = invoice()
    async with running(await sync_settings(mydata_subscription_key="wrong")) as sync:
        answer = await sync.transmit(body)
        metrics = (await sync.http.get("/metrics")).text
        row = await _row(sync, body)
    assert answer["state"] == "deferred" and "errors" not in answer
    assert row.last_error and "401" in row.last_error
    assert "mydata_auth_failures_total" in metrics
    assert await sim.count(body["uid"]) == 0


async def test_a_hanging_mydata_releases_its_callers_once_slow_calls_open_the_breaker(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    await sim.fault("blackhole")
    settings = await sync_settings(
        mydata_timeout_s=8.0, lease_s=24.0, breaker_slow_call_s=0.3, breaker_cooldown_s=60
    )
    try:
        async with running(settings) as sync:
            started = time.monotonic()
            answers = await asyncio.gather(*(sync.transmit(invoice()) for _ in range(4)))
            waited = time.monotonic() - started
    finally:
        await sim.fault("none")
    assert [a["state"] for a in answers] == ["deferred"] * 4
    assert waited < 4.0  # not the 8 s timeout: two slow calls opened the breaker at ~0.3 s


async def test_a_slow_but_answering_mydata_does_not_open_the_breaker(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    await sim.fault("slow", latency_ms=100)
    # 100 ms answers against a 2 s slow-call limit: a loaded machine must not make them "slow".
    settings = await sync_settings(mydata_timeout_s=4.0, lease_s=20.0, breaker_slow_call_s=2.0)
    try:
        async with running(settings) as sync:
            answers = await asyncio.gather(*(sync.transmit(invoice()) for _ in range(4)))
            state = sync.runtime.breaker.state
    finally:
        await sim.fault("none")
    assert [a["state"] for a in answers] == ["transmitted"] * 4
    assert state is BreakerState.CLOSED
