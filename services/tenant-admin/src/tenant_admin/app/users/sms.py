"""What the password SMS will be before it is sent: its alphabet and number of parts
(``notifications.sms_shape``, the same computation the notifier stores after sending).

The wording is the notifier's (``services/notifier/src/notifier/templates/
account.password.<language>.txt``); tenant-admin may not import the notifier, so the wording is
repeated here, and ``tests/admin`` checks that the shape shown before sending is the one the
notifier recorded after.
"""

from __future__ import annotations

from notifications import SmsShape, sms_shape
from webkit.i18n import Locale

PASSWORD_SMS: dict[Locale, str] = {
    "el": "Κωδικός πρόσβασης e-invoicing: {password}",
    "en": "Your e-invoicing password: {password}\n"
    "You will be asked to change it at your first login.",
}


def password_sms_shape(language: Locale, password: str) -> SmsShape:
    return sms_shape(PASSWORD_SMS[language].format(password=password))
