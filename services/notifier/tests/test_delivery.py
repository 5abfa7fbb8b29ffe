"""The happy path against the real stand-ins: exactly one SMS and one e-mail per notification,
in the chosen language, with the Greek SMS alphabet and parts computed and stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from notifications import sms_shape

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import (
        Devmail,
        EmailFactory,
        NotifierRunner,
        Publish,
        SettingsFactory,
        SmsFactory,
    )


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("el", "Τα στοιχεία σύνδεσής σας στο e-invoicing", "Όνομα χρήστη: acme"),
        ("en", "Your e-invoicing sign-in details", "Username: acme"),
    ],
)
async def test_one_email_in_the_chosen_language(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
    language: str,
    subject: str,
    line: str,
) -> None:
    command = make_email(language)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await publish(command)  # the outbox relay published it twice: still one e-mail
        row = await notifier.wait_state(command.notification_id, "sent")
        await notifier.sweep()
    (mail,) = await devmail.emails_for(command.notification_id)
    assert mail["subject"] == subject
    assert line in mail["text"] and "SN-2024-0042" in mail["text"]
    assert mail["rcpt_tos"] == ["it@acme.example.gr"]
    assert (
        mail["message_id"]
        == row["message_id"]
        == f"<{command.notification_id}@einvoicing.example.gr>"
    )
    assert row["attempts"] == 1 and row["last_error"] is None


@pytest.mark.parametrize(("language", "encoding"), [("el", "UCS-2"), ("en", "GSM-7")])
async def test_one_sms_in_the_chosen_language_with_its_alphabet_and_parts(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    password: str,
    language: str,
    encoding: str,
) -> None:
    command = make_sms(language)
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "delivered")
    (sms,) = await devmail.sms_for(command.notification_id)
    assert password in sms["text"]
    assert sms["to"] == "306900000000" and sms["from"] == "EINVOICING"
    assert sms["message_id"] == row["provider_message_id"] == command.notification_id
    shape = sms_shape(sms["text"])
    assert (
        (row["encoding"], row["parts"])
        == (encoding, shape.parts)
        == (sms["encoding"], sms["parts"])
    )
    assert row["sent_at"] is not None and row["delivered_at"] is not None


async def test_a_long_greek_sms_is_counted_in_ucs2_parts(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
) -> None:
    command = make_sms("el", password="Ω" * 100)  # 31 + 100 characters, UCS-2: 67 per part
    async with running(await notifier_settings()) as notifier:
        await publish(command)
        row = await notifier.wait_state(command.notification_id, "delivered")
    (sms,) = await devmail.sms_for(command.notification_id)
    assert (row["encoding"], row["parts"]) == ("UCS-2", 2) == (sms["encoding"], sms["parts"])


async def test_internal_api_lists_a_users_messages(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_sms: SmsFactory,
    make_email: EmailFactory,
    password: str,
) -> None:
    sms, mail = make_sms(customer_id="c-42"), make_email(customer_id="c-42")
    async with running(await notifier_settings()) as notifier:
        await publish(sms)
        # Recorded before the e-mail's command arrives: "newest first" is then well defined
        # (two commands in flight together are recorded in either order).
        await notifier.wait_for(sms.notification_id, lambda _: True)
        await publish(mail)
        await notifier.wait_state(sms.notification_id, "delivered")
        await notifier.wait_state(mail.notification_id, "sent")
        listed = (await notifier.http.get("/internal/notifications?customer_id=c-42")).json()
        one = (await notifier.http.get(f"/internal/notifications/{sms.notification_id}")).json()
        missing = await notifier.http.get("/internal/notifications/nope")
        anonymous = await notifier.http.get(
            "/internal/notifications?customer_id=c-42", headers={"Authorization": ""}
        )
    assert [n["notification_id"] for n in listed] == [mail.notification_id, sms.notification_id]
    assert one["state"] == "delivered" and one["encoding"] == "UCS-2" and one["parts"] == 1
    assert one["to"] == "+306900000000" and one["template"] == "account.password"
    assert password not in str(listed) + str(one)
    assert missing.status_code == 404
    assert anonymous.status_code == 401
