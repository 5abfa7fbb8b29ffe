"""Building ``notification.requested`` commands, with their secrets sealed.

A producer calls one of these inside the transaction that makes the change the message is
about, and adds the result to its outbox in the same transaction, e.g. in tenant-admin::

    command = password_sms(
        settings.keyring(),
        notification_id=new_notification_id(),   # keep it: it names this message for ever
        customer_id=customer.id, mobile=customer.mobile, language=customer.language,
        password=password,
    )
    await add_to_outbox(conn, outbox, envelope_of(command))

The command is then sent if and only if the change was committed, and the notifier sends each
``notification_id`` at most once: re-publishing the same command (a relay retry, a duplicated
delivery) changes nothing. A new id means a new message — "resend the e-mail" in the admin app
is a new id; the notifier's deliberate resend of a failed message keeps its id
(docs/runbooks/notifications.md).

A secret parameter never travels or rests in clear: it is sealed with the platform keyring for
the purpose ``notification.<name>`` (a value sealed for another purpose does not open), and the
notifier refuses a command that carries a secret parameter unsealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from contracts.events import NotificationRequested
from contracts.notifications import Language
from kit.secrets import Keyring
from notifications.phones import e164_mobile

SECRET_PURPOSE_PREFIX = "notification."


def new_notification_id() -> str:
    """A fresh id for one message (32 hex characters)."""
    return uuid.uuid4().hex


def secret_purpose(name: str) -> str:
    """The sealing purpose of the secret parameter ``name`` (what the notifier opens it as)."""
    return SECRET_PURPOSE_PREFIX + name


def seal_params(keyring: Keyring, secrets: Mapping[str, str]) -> dict[str, str]:
    """Each secret sealed for its own purpose (``notification.<name>``)."""
    return {name: keyring.seal(value, secret_purpose(name)) for name, value in secrets.items()}


def password_sms(
    keyring: Keyring,
    *,
    notification_id: str,
    customer_id: str | None,
    mobile: str,
    language: Language,
    password: str,
) -> NotificationRequested:
    """The "Save and send SMS" button (seed 000, ADMIN-5/7): the password by SMS, in the
    user's language.

    ``mobile`` as the operator typed it (a Greek ``69…`` number gets ``+30``); ``ValueError``
    when it cannot be a mobile number, so the admin app can say so before saving."""
    return NotificationRequested(
        notification_id=notification_id,
        customer_id=customer_id,
        channel="sms",
        template="account.password",
        language=language,
        to=e164_mobile(mobile),
        sealed_params=seal_params(keyring, {"password": password}),
    )


def username_email(
    *,
    notification_id: str,
    customer_id: str | None,
    email: str,
    language: Language,
    username: str,
    serial: str,
) -> NotificationRequested:
    """The "Send e-mail" button (seed 000, ADMIN-5/7): the username and the contract's serial."""
    return NotificationRequested(
        notification_id=notification_id,
        customer_id=customer_id,
        channel="email",
        template="account.username",
        language=language,
        to=email,
        params={"username": username, "serial": serial},
    )
