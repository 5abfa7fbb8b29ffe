"""Commands built for producers: sealed secrets, E.164 numbers, the contract's shape."""

from __future__ import annotations

import pytest

from contracts.events import NotificationRequested, envelope_of
from kit.secrets import DEV_SEAL_KEYS, Keyring, SealError
from notifications import (
    e164_mobile,
    new_notification_id,
    password_sms,
    secret_purpose,
    username_email,
)

KEYRING = Keyring.parse(DEV_SEAL_KEYS)


def test_password_sms_seals_the_password_for_its_purpose() -> None:
    command = password_sms(
        KEYRING, notification_id=new_notification_id(), customer_id="c1",
        mobile="690 000 0000", language="el", password="Secret-Pa55!",
    )  # fmt: skip
    assert command.to == "+306900000000"
    assert command.params == {}
    sealed = command.sealed_params["password"]
    assert "Secret-Pa55!" not in sealed
    assert "Secret-Pa55!" not in envelope_of(command).model_dump_json()
    assert KEYRING.open(sealed, secret_purpose("password")) == "Secret-Pa55!"
    with pytest.raises(SealError):
        KEYRING.open(sealed, "gsis.password")


def test_username_email_carries_username_and_serial() -> None:
    command = username_email(
        notification_id="n" * 32, customer_id=None, email="it@acme.example",
        language="en", username="acme", serial="SN-1",
    )  # fmt: skip
    assert command.params == {"username": "acme", "serial": "SN-1"}
    assert NotificationRequested.model_validate(command.model_dump()) == command


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("6900000000", "+306900000000"),
        ("+30 690 000 0000", "+306900000000"),
        ("00306912345678", "+306912345678"),
        ("306912345678", "+306912345678"),
        ("+447700900123", "+447700900123"),
    ],
)
def test_mobile_numbers_become_e164(typed: str, e164: str) -> None:
    assert e164_mobile(typed) == e164


@pytest.mark.parametrize("typed", ["2101234567", "+302101234567", "69000", "abc", "+0123456789"])
def test_numbers_that_cannot_be_mobiles_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="mobile"):
        e164_mobile(typed)
