"""A worker that died mid-attempt (its lease expired): the sweep sends the message again only
when the attempt never reached its point of no return; otherwise it is unknown — an SMS is then
looked up at the SMS provider, an e-mail waits for on-call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import (
        Devmail,
        EmailFactory,
        Notifier,
        NotifierRunner,
        Publish,
        SettingsFactory,
        SmsFactory,
    )

# What a worker killed at that moment leaves behind (its lease already over).
ABANDON = """
UPDATE messages SET state = 'sending', attempts = attempts + 1, lease_token = 'dead',
    lease_until = now() - interval '1 second', handed_over_at = {handed_over}
WHERE notification_id = $1
"""


def _retrying(row: Any) -> bool:
    return bool(row["state"] == "pending" and row["attempts"] == 1)


async def _abandon(notifier: Notifier, nid: str, *, handed_over: bool) -> None:
    await notifier.query(ABANDON.format(handed_over="now()" if handed_over else "NULL"), nid)


async def test_an_attempt_that_never_left_is_sent_again(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    nid = command.notification_id
    await devmail.fault("smtp", "temporary_error", count=1)  # parked as pending, retry later
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_for(nid, _retrying)
        await _abandon(notifier, nid, handed_over=False)
        await notifier.sweep()
        row = await notifier.wait_state(nid, "sent")
        history = await notifier.query(
            "SELECT outcome FROM attempts WHERE message_pk = $1 ORDER BY id", row["id"]
        )
    assert [h["outcome"] for h in history] == ["retry", "recovered", "accepted"]
    assert len(await devmail.emails_for(nid)) == 1


async def test_an_email_handed_over_by_a_dead_worker_is_unknown(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    nid = command.notification_id
    await devmail.fault("smtp", "temporary_error", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_for(nid, _retrying)
        await _abandon(notifier, nid, handed_over=True)
        for _ in range(3):
            await notifier.sweep()
        row = await notifier.row(nid)
        listed = await notifier.http.get("/internal/notifications?state=unknown")
    assert row["state"] == "unknown" and row["next_attempt_at"] is None
    assert [n["notification_id"] for n in listed.json()] == [nid]
    assert await devmail.emails_for(nid) == []  # it never arrived; only on-call may resend


async def test_an_sms_handed_over_by_a_dead_worker_is_looked_up(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms()
    nid = command.notification_id
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await notifier.wait_state(nid, "delivered")
        # As if the worker had died after the SMS provider took it, before recording the answer.
        await notifier.query(
            "UPDATE messages SET state = 'pending' WHERE notification_id = $1", nid
        )
        await _abandon(notifier, nid, handed_over=True)
        await notifier.sweep()
        row = await notifier.wait_state(nid, "delivered")
    assert row["status_checks"] == 1
    assert len(await devmail.sms_for(nid)) == 1


async def test_a_graceful_stop_lets_the_attempt_in_flight_finish(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    nid = command.notification_id
    await devmail.fault("smtp", "latency", latency_ms=1500, count=1)
    settings = await notifier_settings(smtp_timeout_s=3.0, lease_s=10.0)
    async with running(settings) as notifier:
        await publish(command)
        await notifier.wait_for(nid, lambda row: row["handed_over_at"] is not None)
    # The service stopped while the server held its answer: it waited for it.
    row = await notifier.row(nid)
    assert row["state"] == "sent" and row["attempts"] == 1
    assert len(await devmail.emails_for(nid)) == 1
