"""The seed-002 answers of ``/invoice-data``: status 400, a ``customer_api_*`` code, Greek text."""

from __future__ import annotations

from kit.errors import AppError

# Seed 002 heads its 400 answers with this sentence; the code's own text is the message.
REJECTED_TITLE = "Πρόβλημα στη δημιουργία του παραστατικού"


class InvoiceRejected(AppError):
    """The invoice was not issued because of its content (not charged, SPEC API-9)."""

    status_code = 400
    title = REJECTED_TITLE


def general_failure() -> InvoiceRejected:
    return InvoiceRejected(
        "Δεν μπόρεσε να καταχωρηθεί το παραστατικό Γενικό Λάθος", code="customer_api_007"
    )


def bad_transmission_failure() -> InvoiceRejected:
    return InvoiceRejected(
        "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1",
        code="customer_api_009",
    )


def missing_issuer_vat() -> InvoiceRejected:
    return InvoiceRejected("Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό", code="customer_api_014")


class IssuanceNotImplemented(AppError):
    status_code = 501
    code = "not_implemented"
    title = "Not implemented"

    def __init__(self) -> None:
        super().__init__("Invoice issuance arrives with the issuance work")
