"""SMTP's answers decide an e-mail's fate: 4xx → retried with back-off, 5xx → failed, a
connection lost after the final "." → unknown, never resent unless on-call forces it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, EmailFactory, NotifierRunner, Publish, SettingsFactory


async def test_a_4xx_is_retried_and_one_email_arrives(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    await devmail.fault("smtp", "temporary_error", count=2)
    async with running(await notifier_settings(sweep_interval_s=0.1)) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "sent")
        attempts = await notifier.query(
            "SELECT outcome, detail FROM attempts WHERE message_pk = $1 ORDER BY id", row["id"]
        )
    assert len(await devmail.emails_for(command.notification_id)) == 1
    assert [a["outcome"] for a in attempts] == ["retry", "retry", "accepted"]
    assert "451" in attempts[0]["detail"]
    assert row["attempts"] == 3


async def test_a_5xx_fails_at_once_and_nothing_arrives(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    await devmail.fault("smtp", "permanent_error", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "failed")
        await notifier.sweep()
        row = await notifier.row(command.notification_id)
    assert row["state"] == "failed" and row["attempts"] == 1 and "550" in row["last_error"]
    assert await devmail.emails_for(command.notification_id) == []


async def test_retries_end_in_failed_after_max_attempts(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    await devmail.fault("smtp", "temporary_error")
    settings = await notifier_settings(sweep_interval_s=0.1, max_attempts=3)
    async with running(settings) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "failed")
    assert row["attempts"] == 3 and row["last_error"].startswith("gave up after 3 attempts")


async def test_a_connection_lost_after_the_data_is_unknown_and_never_resent(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    nid = command.notification_id
    await devmail.fault("smtp", "drop_after_data", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(nid, "unknown")
        for _ in range(3):
            await notifier.sweep()
        assert (await notifier.row(nid))["state"] == "unknown"
        assert len(await devmail.emails_for(nid)) == 1  # it did arrive; we cannot know that
        refused = await notifier.http.post(f"/internal/notifications/{nid}/resend")
        forced = await notifier.http.post(f"/internal/notifications/{nid}/resend?force=true")
        await notifier.sweep()  # the next pass of the sweep sends it
        resent = await notifier.wait_state(nid, "sent")
    assert row["handed_over_at"] is not None and "no answer to the data" in row["last_error"]
    assert refused.status_code == 409 and "force" in refused.json()["error"]["message"]
    assert forced.status_code == 200 and forced.json()["state"] == "pending"
    # The deliberate resend: the same Message-ID, so the recipient's client can tell.
    emails = await devmail.emails_for(nid)
    assert len(emails) == 2 and emails[0]["message_id"] == emails[1]["message_id"]
    assert resent["resends"] == 1


async def test_no_answer_after_the_data_is_unknown(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    await devmail.fault("smtp", "hang_after_data", count=1)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "unknown")
    assert "no answer to the data" in row["last_error"]
    assert len(await devmail.emails_for(command.notification_id)) == 1


async def test_an_unreachable_smtp_server_is_retried(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
) -> None:
    command = make_email()
    async with running(await notifier_settings(smtp_port=1)) as notifier:
        await publish(command)
        row = await notifier.wait_for(
            command.notification_id, lambda row: row["state"] == "pending" and row["attempts"]
        )
    assert row["handed_over_at"] is None and row["last_error"].startswith("connect")
    assert await devmail.emails_for(command.notification_id) == []
