"""SMS delivery reports (INTEGRATIONS.md §3): authenticated, stored raw, de-duplicated on
(provider message id, status, part), tolerated out of order and per part; a final state never
moves back."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, Notifier, NotifierRunner, Publish, SettingsFactory, SmsFactory

GATEWAY = ("einv-dlr", "dev-only-dlr-password")  # the development callback credentials
REPORTS = "SELECT status, part, applied FROM delivery_reports WHERE provider_message_id = $1"


async def _reports(notifier: Notifier, provider_id: str, count: int) -> list[tuple[str, int, bool]]:
    """The message's stored reports, once there are ``count`` of them."""
    async with asyncio.timeout(10):
        while True:
            rows = await notifier.query(REPORTS + " ORDER BY id", provider_id)
            if len(rows) >= count:
                return [(r["status"], r["part"], r["applied"]) for r in rows]
            await asyncio.sleep(0.05)


async def test_duplicated_reports_are_applied_once(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    await devmail.fault("reports", "normal", copies=3, count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "delivered")
        async with asyncio.timeout(10):  # every copy was taken (devmail counts them once taken)
            while (await devmail.sms_for(command.notification_id))[0]["reports_sent"] < 3:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        stored = await _reports(notifier, command.notification_id, 1)
    (sms,) = await devmail.sms_for(command.notification_id)
    assert sms["reports_sent"] == 3
    assert stored == [("DELIVERED", 0, True)]
    assert row["delivered_at"] is not None


async def test_a_stale_pending_after_delivered_changes_nothing(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    await devmail.fault("reports", "out_of_order", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_state(command.notification_id, "delivered")
        stored = await _reports(notifier, command.notification_id, 2)
        row = await notifier.row(command.notification_id)
    assert stored == [("DELIVERED", 0, True), ("PENDING", 0, False)]
    assert row["state"] == "delivered"


async def test_undeliverable_is_failed_and_a_late_delivered_does_not_revive_it(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    nid = command.notification_id
    await devmail.fault("reports", "undeliverable", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_state(nid, "failed")
        await devmail.report(nid, "DELIVERED_TO_HANDSET")
        stored = await _reports(notifier, nid, 2)
        row = await notifier.row(nid)
    assert stored == [("UNDELIVERABLE", 0, True), ("DELIVERED", 0, False)]
    assert row["state"] == "failed" and row["sealed_params"] is None


async def test_a_multi_part_sms_is_delivered_when_every_part_is(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms("el", password="Ω" * 150)  # UCS-2, 181 units: 3 parts
    nid = command.notification_id
    await devmail.fault("reports", "none", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(nid, "sent")
        assert row["parts"] == 3
        for part in (3, 1, 1):  # out of order, and part 1 twice
            await devmail.report(nid, "DELIVERED_TO_HANDSET", part)
        still_sent = await notifier.row(nid)
        await devmail.report(nid, "DELIVERED_TO_HANDSET", 2)
        delivered = await notifier.row(nid)
        stored = await _reports(notifier, nid, 3)
    assert still_sent["state"] == "sent"
    assert delivered["state"] == "delivered"
    assert sorted(part for _, part, _ in stored) == [1, 2, 3]


async def test_per_part_reports_from_the_sms_provider(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms("en", password="x" * 200)  # GSM-7, 2 parts
    await devmail.fault("reports", "per_part", copies=2, count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "delivered")
    assert (row["encoding"], row["parts"]) == ("GSM-7", 2)


async def test_reports_need_the_sms_providers_credentials_and_a_report_body(
    running: NotifierRunner, notifier_settings: SettingsFactory, devmail: Devmail
) -> None:
    report = {"results": [{"messageId": "not-ours", "status": {"groupName": "DELIVERED"}}]}
    async with running(await notifier_settings()) as notifier:
        url = notifier.url + "/sms/delivery-reports"
        async with httpx.AsyncClient() as http:
            anonymous = await http.post(url, json=report)
            wrong = await http.post(url, json=report, auth=("einv-dlr", "wrong"))
            garbage = await http.post(url, content=b"{]", auth=GATEWAY)
            unmatched = await http.post(url, json=report, auth=GATEWAY)
    assert (anonymous.status_code, wrong.status_code, garbage.status_code) == (401, 401, 400)
    assert unmatched.status_code == 200 and unmatched.json() == {"results": {"unmatched": 1}}
