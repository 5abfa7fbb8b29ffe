"""The command queue: ``invoice.submitted`` from invoice-service's outbox, retried on failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contracts.envelope import Envelope
from kit.messaging import Broker
from mydata_sync.transmissions import repository as repo

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import EventListener, SettingsFactory, Sim, SyncRunner

Invoice = Callable[..., dict[str, Any]]


def _command(body: dict[str, Any]) -> Envelope:
    return Envelope(type="invoice.submitted", tenant_id=body["tenant_id"], payload=body)


async def test_command_is_transmitted_and_announced_once(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
    broker: Broker,
) -> None:
    body = invoice()
    async with running(await sync_settings()) as sync:
        await broker.publish(_command(body))
        await broker.publish(_command(body))  # a duplicate command (another message id)
        (event,) = await events.wait_for(body["uid"])
        async with sync.runtime.engine.connect() as conn:
            row = await repo.get(conn, repo.by_key(body["tenant_id"], body["uid"]))
    assert event["type"] == "invoice.transmitted"
    assert event["payload"]["mark"] == row.mark and row.state == "transmitted"
    assert event["payload"]["request_xml"] == body["xml"]
    assert await sim.count(body["uid"]) == 1
    assert len(events.for_uid(body["uid"])) == 1


async def test_technical_failure_goes_to_the_retry_tier_then_succeeds(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
    broker: Broker,
) -> None:
    body = invoice()
    await sim.fault("down", count=1)
    async with running(await sync_settings()):
        await broker.publish(_command(body))
        deferred, transmitted = await events.wait_for(body["uid"], 2)
    assert deferred["type"] == "invoice.deferred"
    assert deferred["payload"]["attempts"] == 1 and "503" in deferred["payload"]["reason"]
    assert transmitted["type"] == "invoice.transmitted"
    assert await sim.count(body["uid"]) == 1


async def test_retry_requested_resends_a_deferred_one(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
    broker: Broker,
) -> None:
    body = invoice()
    await sim.fault("down", count=1)
    async with running(await sync_settings()) as sync:
        assert (await sync.transmit(body))["state"] == "deferred"
        retry = Envelope(
            type="transmission.retry_requested",
            tenant_id=body["tenant_id"],
            payload={"tenant_id": body["tenant_id"], "uid": body["uid"]},
        )
        await broker.publish(retry)
        kinds = [e["type"] for e in await events.wait_for(body["uid"], 2)]
    assert kinds == ["invoice.deferred", "invoice.transmitted"]
