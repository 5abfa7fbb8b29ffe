"""The quota's answers (seed 002: HTTP 400 with ``customer_api_00X`` codes)."""

from __future__ import annotations

from kit.errors import AppError


class CallsExpired(AppError):
    """No package is valid right now: all ended, or none has started."""

    code = "customer_api_001"
    title = "Calls expired"

    def __init__(self) -> None:
        super().__init__("Έχουν λήξει οι υπολειπόμενες κλήσεις σας")


class CallsUsedUp(AppError):
    """Valid packages exist but every call has been spent."""

    code = "customer_api_002"
    title = "All calls used"

    def __init__(self) -> None:
        super().__init__("Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης")
