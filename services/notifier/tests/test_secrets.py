"""A password sent by SMS is never in the notify database in clear, and is not left there even
sealed once the message is sent or failed; a command carrying it unsealed is refused whole."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kit.messaging import Broker, dlq_name

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, Notifier, NotifierRunner, Publish, SettingsFactory, SmsFactory

# Every table, every row, as text: wherever a value could hide.
EVERYTHING = """
SELECT coalesce(string_agg(t::text, ' '), '') AS dump FROM (
    SELECT row_to_json(m)::text AS t FROM messages m
    UNION ALL SELECT row_to_json(a)::text FROM attempts a
    UNION ALL SELECT row_to_json(r)::text FROM delivery_reports r
) everything
"""


async def _dump(notifier: Notifier) -> str:
    return str((await notifier.query(EVERYTHING))[0]["dump"])


async def test_the_password_is_never_stored_in_clear_and_wiped_once_sent(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    password: str,
) -> None:
    command = make_sms()
    nid = command.notification_id
    # The provider holds the request 1.5 s (time to look at "sending"), well within the timeout.
    await devmail.fault("sms", "latency", latency_ms=1500, count=1)
    async with running(await notifier_settings(sms_timeout_s=4.0, lease_s=15.0)) as notifier:
        await publish(command)
        sending = await notifier.wait_state(nid, "sending")
        during = await _dump(notifier)  # while the request is at the SMS provider
        await notifier.wait_state(nid, "delivered")
        after = await _dump(notifier)
        row = await notifier.row(nid)
    assert sending["sealed_params"] is not None  # sealed while it may still be sent …
    assert password not in during and password not in after
    assert row["sealed_params"] is None  # … and gone once it was
    assert password in (await devmail.sms_for(nid))[0]["text"]


async def test_a_failed_message_keeps_no_secret_and_cannot_be_resent(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    password: str,
) -> None:
    command = make_sms()
    nid = command.notification_id
    await devmail.fault("sms", "invalid_number", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(nid, "failed")
        resend = await notifier.http.post(f"/internal/notifications/{nid}/resend")
        dump = await _dump(notifier)
    assert row["sealed_params"] is None and password not in dump
    assert resend.status_code == 409 and "new password" in resend.json()["error"]["message"]


async def test_an_unsealed_password_is_refused_and_nothing_is_stored(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    password: str,
    broker: Broker,
) -> None:
    command = make_sms(params={"password": password})
    settings = await notifier_settings()
    async with running(settings) as notifier:
        await publish(command)
        dlq = await broker.channel.declare_queue(dlq_name(settings.notify_queue), passive=True)
        async with asyncio.timeout(10):
            while True:
                message = await dlq.get(fail=False)
                if message is not None:
                    break
                await asyncio.sleep(0.1)
        await message.ack()
        dump = await _dump(notifier)
        stored = await notifier.query("SELECT count(*) AS n FROM messages")
    assert message.headers["x-dead-reason"] == "permanent"
    assert "unsealed" in str(message.headers["x-last-error"])
    assert stored[0]["n"] == 0 and password not in dump


async def test_a_value_sealed_for_another_purpose_does_not_open(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    password: str,
) -> None:
    from kit.secrets import DEV_SEAL_KEYS, Keyring

    wrong = Keyring.parse(DEV_SEAL_KEYS).seal(password, "gsis.password")
    command = make_sms(sealed_params={"password": wrong})
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "failed")
    assert "cannot be opened" in row["last_error"] and row["sealed_params"] is None
    assert await devmail.sms_for(command.notification_id) == []
