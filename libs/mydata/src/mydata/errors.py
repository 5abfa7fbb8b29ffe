"""Every exception the ``mydata`` package raises, in one place.

Two families, handled very differently by the platform:

* :class:`InvoiceInputError` — the ERP's invoice is wrong (seed 002 codes). Nothing was sent and
  nothing should be retried; the platform answers ``400`` with
  :meth:`InvoiceInputError.error_fields`, ready for ``kit.errors.AppError(**fields)`` (this
  library must not import FastAPI).
* :class:`TransportError` — myDATA could not be reached or answered something that is not a
  ``ResponseDoc``. The platform issues a temporary authentication string (SPEC API-5) and retries.
  ``ambiguous`` tells whether myDATA may nevertheless have registered the invoice (timeout after the
  request was sent, 5xx, dropped connection, garbage): before re-sending, recover the MARK with
  ``RequestTransmittedDocs`` or treat a 228/233 answer as "already registered".

Business rejections (HTTP 200 + ``ResponseDoc`` with errors) are results, not exceptions: see
:mod:`mydata.response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class MydataError(Exception):
    """Base of every exception of this package."""


# --- ERP input ------------------------------------------------------------------------------


class InvoiceInputError(MydataError):
    """The ERP's invoice cannot be accepted; carries the seed-002 error code and message."""

    status_code = 400
    code = "invalid_request"
    title = "Invalid request"
    default_message = "Το αίτημα δεν είναι έγκυρο"
    default_message_en = "The request is not valid"

    def __init__(self, problems: list[str] | None = None, message: str | None = None) -> None:
        self.problems = list(problems or [])
        self.message = message or self.default_message
        # A message given here is the caller's own, in one language; the defaults have both.
        self.message_en = message or self.default_message_en
        super().__init__(self.message if not self.problems else f"{self.message}: {self.problems}")

    def error_fields(self) -> dict[str, Any]:
        """``kit.errors.AppError`` keyword arguments: status_code, code, title, message,
        message_en, data."""
        data = {"validation_errors": self.problems} if self.problems else None
        return {
            "status_code": self.status_code,
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "message_en": self.message_en,
            "data": data,
        }


class TransmissionFailureValueError(InvoiceInputError):
    """``transmission_failure`` is neither 0 nor 1."""

    code = "customer_api_009"
    title = "Invalid transmission_failure"
    default_message = "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1"
    default_message_en = "transmission_failure may only be 0 or 1"


class IssuerVatMissing(InvoiceInputError):
    """``is_vat`` is missing or blank."""

    code = "customer_api_014"
    title = "Issuer VAT missing"
    default_message = "Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό"
    default_message_en = "The issuer's VAT number (is_vat) cannot be empty"


class InvoiceSchemaError(InvoiceInputError):
    """The body does not match the seed-002 field table (types, sizes, unknown fields)."""


class InvoiceBodyNotJson(InvoiceSchemaError):
    """The body is not JSON at all (``body: not valid JSON: …``, with line and column).

    A subclass so that a service can keep answering this case with its own code (today
    invoice-service answers ``customer_api_007``) while treating it as a schema error otherwise.
    """


class InvoiceValidationError(InvoiceInputError):
    """Totals, business rules or the XSD reject the invoice (seed ``mydata_sync_003``)."""

    code = "mydata_sync_003"
    title = "XML Validation"
    default_message = "Η αποστολή στο myDATA απέτυχε (XML Validation)"
    default_message_en = "Sending to myDATA failed (XML Validation)"


# --- talking to myDATA ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawExchange:
    """What went over the wire, kept so callers can store request_xml/response_xml."""

    method: str
    url: str
    request_body: bytes
    status: int | None = None
    response_body: bytes | None = None
    elapsed_seconds: float = 0.0


class TransportError(MydataError):
    """myDATA was unreachable or its answer was unusable (technical failure)."""

    ambiguous = True

    def __init__(self, message: str, raw: RawExchange | None = None) -> None:
        super().__init__(message)
        self.raw = raw


class AuthenticationFailed(TransportError):
    """HTTP 401 (bad ``aade-user-id`` / subscription key): rejected before processing."""

    ambiguous = False


class ServerError(TransportError):
    """HTTP 5xx from myDATA or its API gateway."""

    def __init__(self, status: int, raw: RawExchange | None = None) -> None:
        super().__init__(f"myDATA answered HTTP {status}", raw)
        self.status = status


class UnexpectedStatus(TransportError):
    """Any other non-200 status (e.g. 400 "General Exception Error", 404 wrong path)."""

    ambiguous = False

    def __init__(self, status: int, raw: RawExchange | None = None) -> None:
        super().__init__(f"myDATA answered HTTP {status}", raw)
        self.status = status


class RequestTimeout(TransportError):
    """No complete answer in time after the request was sent: it may have been registered."""


class ConnectTimeout(RequestTimeout):
    """The connection could not even be opened in time: nothing was sent."""

    ambiguous = False


class ConnectionFailed(TransportError):
    """The connection was refused (nothing sent) or dropped (maybe sent); see ``ambiguous``."""

    def __init__(self, message: str, raw: RawExchange | None = None, *, ambiguous: bool) -> None:
        super().__init__(message, raw)
        self.ambiguous = ambiguous


class MalformedResponse(TransportError):
    """HTTP 200 but the body is empty, not XML, or not the expected document."""
