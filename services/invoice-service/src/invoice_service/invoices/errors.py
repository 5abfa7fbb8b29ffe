"""The seed-002 answers of ``/invoice-data``: status 400, a ``customer_api_*`` code, Greek text
(English beside it, for an ERP that asks with ``lang`` or Accept-Language)."""

from __future__ import annotations

from kit.errors import AppError

# Seed 002 heads its 400 answers with this sentence; the code's own text is the message.
NOT_ISSUED_TITLE = "Πρόβλημα στη δημιουργία του παραστατικού"


class NotIssued(AppError):
    """The invoice was not issued because of its content (not charged, SPEC API-9)."""

    status_code = 400
    title = NOT_ISSUED_TITLE
    title_en = "The invoice could not be created"


def general_failure(message: str = "") -> NotIssued:
    text = "Δεν μπόρεσε να καταχωρηθεί το παραστατικό Γενικό Λάθος"
    english = "The invoice could not be registered: general error"
    return NotIssued(
        f"{text} ({message})" if message else text,
        message_en=f"{english} ({message})" if message else english,
        code="customer_api_007",
    )


def issuer_not_authorised(vat: str) -> NotIssued:
    """Our own code (not seed 002's): a customer issues only under its own VAT number or one the
    operator has authorised for it (``tenant-admin authorise-issuer``)."""
    return NotIssued(
        f"is_vat: το ΑΦΜ εκδότη {vat} δεν ανήκει στον πελάτη ούτε έχει εξουσιοδοτηθεί",
        message_en=f"is_vat: {vat} is not this customer's VAT number nor one authorised for it",
        code="issuer_vat_not_authorised",
        data={"validation_errors": [f"is_vat: {vat} is neither the customer's nor authorised"]},
    )


# Seed 002's einv03 / error texts.
DEFERRED_MESSAGE = (
    "Έχει εκδοθεί Συμβολοσειρά Αυθεντικοποίησης από τον πάροχο λόγω αδυναμίας επικοινωνίας με "
    "το myDATA. Θα γίνει εκ νέου προσπάθεια διαβίβασης σε δεύτερο χρόνο."
)
REJECTED_MESSAGE = "Βρέθηκαν σφάλματα από το myDATA"
XML_INVALID_MESSAGE = "Η αποστολή στο myDATA απέτυχε (XML Validation)"
DEFERRED_EN = (
    "The provider issued an authentication string because myDATA could not be reached. The"
    " invoice will be transmitted again later."
)
REJECTED_EN = "myDATA found errors"
XML_INVALID_EN = "Sending to myDATA failed (XML Validation)"


def already_sent() -> NotIssued:
    return NotIssued(
        "Το παραστατικό έχει ξανασταλεί επιτυχώς",
        message_en="The invoice has already been sent successfully",
        code="customer_api_006",
    )


def idempotency_key_reused() -> NotIssued:
    return NotIssued(
        "Το Idempotency-Key έχει ήδη χρησιμοποιηθεί για άλλο παραστατικό",
        message_en="Idempotency-Key: already used for another invoice",
        code="customer_api_007",
        data={"validation_errors": ["Idempotency-Key: already used for another invoice"]},
    )


def xml_invalid(problems: list[str], request_xml: str | None = None) -> NotIssued:
    data: dict[str, object] = {"validation_errors": problems}
    if request_xml is not None:
        data["request_xml"] = request_xml
    return NotIssued(
        XML_INVALID_MESSAGE, message_en=XML_INVALID_EN, code="mydata_sync_003", data=data
    )


def mydata_rejected(data: dict[str, object]) -> NotIssued:
    return NotIssued(REJECTED_MESSAGE, message_en=REJECTED_EN, code="mydata_sync_004", data=data)


class InvoiceNotFound(AppError):
    status_code = 404
    code = "invoice_not_found"
    title = "Πρόβλημα στην εύρεση και παρουσίαση του παραστατικού"
    title_en = "Problem finding and showing the invoice"
