"""The quota's answers (seed 002: HTTP 400 with ``customer_api_00X`` codes)."""

from __future__ import annotations

from kit.errors import AppError


class CallsExpired(AppError):
    """No package is valid right now: all ended, or none has started."""

    code = "customer_api_001"
    title = "Πρόβλημα στη δημιουργία του παραστατικού"  # seed 002's heading of its 400s
    title_en = "The invoice could not be created"

    def __init__(self) -> None:
        super().__init__(
            "Έχουν λήξει οι υπολειπόμενες κλήσεις σας", message_en="Your remaining calls expired"
        )


class CallsUsedUp(AppError):
    """Valid packages exist but every call has been spent."""

    code = "customer_api_002"
    title = "Πρόβλημα στη δημιουργία του παραστατικού"
    title_en = "The invoice could not be created"

    def __init__(self) -> None:
        super().__init__(
            "Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης",
            message_en="All e-invoicing calls have been used",
        )
