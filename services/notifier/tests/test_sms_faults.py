"""The SMS provider's answers decide an SMS's fate: 429/503 → retried; a rejected number or
sender → failed; a timeout or a 500 after the request left → unknown, resolved by a delivery
report or a status look-up by our own message id — never by a blind resend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import asyncpg
import pytest

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, Notifier, NotifierRunner, Publish, SettingsFactory, SmsFactory


@pytest.mark.parametrize(("mode", "status"), [("rate_limited", 429), ("server_error", 503)])
async def test_refusals_that_may_pass_are_retried_and_one_sms_arrives(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    mode: str,
    status: int,
) -> None:
    command = make_sms()
    await devmail.fault("sms", mode, status=503, count=2)
    async with running(await notifier_settings(sweep_interval_s=0.1)) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "delivered")
        outcomes = await notifier.query(
            "SELECT outcome, detail FROM attempts WHERE message_pk = $1 ORDER BY id", row["id"]
        )
    assert len(await devmail.sms_for(command.notification_id)) == 1
    assert [o["outcome"] for o in outcomes] == ["retry", "retry", "accepted"]
    assert f"HTTP {status}" in outcomes[0]["detail"]


@pytest.mark.parametrize(
    ("mode", "status"),
    [("invalid_number", "REJECTED_DESTINATION"), ("unapproved_sender", "REJECTED_SOURCE")],
)
async def test_a_rejected_number_or_sender_fails_at_once(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    mode: str,
    status: str,
) -> None:
    command = make_sms()
    await devmail.fault("sms", mode, count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "failed")
    assert row["last_error"] == f"REJECTED {status}" and row["attempts"] == 1
    assert row["sealed_params"] is None
    assert await devmail.sms_for(command.notification_id) == []


async def test_an_impossible_number_is_recorded_failed_without_a_try(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms(to="+302101234567")  # a landline
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "failed")
    assert row["attempts"] == 0 and "mobile" in row["last_error"]
    assert row["sealed_params"] is None


async def test_accepted_then_no_answer_is_unknown_then_resolved_by_its_report(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    await devmail.fault("sms", "accept_then_timeout", count=1)
    # "unknown" is written at the 1 s timeout; the report comes 2 s later, so a loaded machine
    # still has time to see the state in between.
    await devmail.fault("reports", "normal", delay_ms=3000, count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        unknown = await notifier.wait_state(command.notification_id, "unknown")
        row = await notifier.wait_state(command.notification_id, "delivered")
    assert "no answer after the request left" in unknown["last_error"]
    assert len(await devmail.sms_for(command.notification_id)) == 1
    assert row["attempts"] == 1 and row["sealed_params"] is None


async def test_accepted_then_no_answer_without_a_report_is_resolved_by_a_look_up(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    await devmail.fault("sms", "accept_then_timeout", count=1)
    await devmail.fault("reports", "none", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_state(command.notification_id, "unknown")
        await _sweep_until(notifier, command.notification_id, lambda row: row["state"] != "unknown")
        row = await notifier.row(command.notification_id)
    assert row["state"] in ("sent", "delivered")
    assert len(await devmail.sms_for(command.notification_id)) == 1
    assert row["status_checks"] >= 1 and row["attempts"] == 1


async def test_a_500_is_unknown_and_resent_only_after_the_sms_provider_says_it_never_got_it(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    nid = command.notification_id
    await devmail.fault("sms", "server_error", status=500, count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_state(nid, "unknown")
        await _sweep_until(notifier, nid, lambda row: row["not_found_checks"] >= 1)
        first = await notifier.row(nid)
        assert first["state"] == "unknown"  # one "not found" is too early to conclude anything
        await _sweep_until(notifier, nid, lambda row: row["state"] != "unknown")
        await notifier.sweep()
        row = await notifier.wait_state(nid, "delivered")
        attempts = await notifier.query(
            "SELECT outcome FROM attempts WHERE message_pk = $1 ORDER BY id", row["id"]
        )
    assert [a["outcome"] for a in attempts] == ["unknown", "accepted"]
    assert row["not_found_checks"] == 0 and row["status_checks"] == 2
    assert len(await devmail.sms_for(nid)) == 1


async def _sweep_until(
    notifier: Notifier, nid: str, done: Callable[[asyncpg.Record], bool]
) -> None:
    async with asyncio.timeout(10):
        while not done(await notifier.row(nid)):
            await asyncio.sleep(0.1)
            await notifier.sweep()
