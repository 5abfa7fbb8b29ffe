"""What a producer needs to ask the notifier for a message (SPEC NOTE-1, ADMIN-5/7), without
importing the notifier:

- ``password_sms``/``username_email``: a ``contracts.events.NotificationRequested`` command, its
  secrets sealed (``kit.secrets``), ready for the producer's outbox inside its own transaction;
- ``sms_shape``: GSM-7 or UCS-2 and the number of parts of an SMS text, as the notifier computes
  and stores them, so the admin app can show them before sending;
- ``e164_mobile``: a mobile number in the form the notifier sends to.

Exceptions: ``ValueError`` for a number that is not a mobile number.
"""

from notifications.phones import e164_mobile
from notifications.requests import (
    SECRET_PURPOSE_PREFIX,
    new_notification_id,
    password_sms,
    seal_params,
    secret_purpose,
    username_email,
)
from notifications.sms import GSM7, UCS2, SmsShape, sms_shape

__all__ = [
    "GSM7",
    "SECRET_PURPOSE_PREFIX",
    "UCS2",
    "SmsShape",
    "e164_mobile",
    "new_notification_id",
    "password_sms",
    "seal_params",
    "secret_purpose",
    "sms_shape",
    "username_email",
]
