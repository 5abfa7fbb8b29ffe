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


# Seed 002's einv03 / error texts.
DEFERRED_MESSAGE = (
    "Έχει εκδοθεί Συμβολοσειρά Αυθεντικοποίησης από τον πάροχο λόγω αδυναμίας επικοινωνίας με "
    "το myDATA. Θα γίνει εκ νέου προσπάθεια διαβίβασης σε δεύτερο χρόνο."
)
REJECTED_MESSAGE = "Βρέθηκαν σφάλματα από το myDATA"
XML_INVALID_MESSAGE = "Η αποστολή στο myDATA απέτυχε (XML Validation)"


def already_sent() -> InvoiceRejected:
    return InvoiceRejected("Το παραστατικό έχει ξανασταλεί επιτυχώς", code="customer_api_006")


def idempotency_key_reused() -> InvoiceRejected:
    return InvoiceRejected(
        "Το Idempotency-Key έχει ήδη χρησιμοποιηθεί για άλλο παραστατικό"
        " (the Idempotency-Key was already used for another invoice)",
        code="customer_api_007",
    )


def xml_invalid(problems: list[str], request_xml: str | None = None) -> InvoiceRejected:
    data: dict[str, object] = {"validation_errors": problems}
    if request_xml is not None:
        data["request_xml"] = request_xml
    return InvoiceRejected(XML_INVALID_MESSAGE, code="mydata_sync_003", data=data)


def mydata_rejected(data: dict[str, object]) -> InvoiceRejected:
    return InvoiceRejected(REJECTED_MESSAGE, code="mydata_sync_004", data=data)


class InvoiceNotFound(AppError):
    status_code = 404
    code = "invoice_not_found"
    title = "Πρόβλημα στην εύρεση και παρουσίαση του παραστατικού"
