"""What one ``ResponseDoc/response`` entry means for the platform."""

from __future__ import annotations

from dataclasses import dataclass, field

SUCCESS = "Success"
TECHNICAL_ERROR = "TechnicalError"
DUPLICATE_CODES = frozenset({"228", "233"})


@dataclass(frozen=True, slots=True)
class ErrorItem:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    """myDATA says the uid was already registered (228/233); what its message tells us."""

    code: str
    mark: int | None = None
    uid: str | None = None
    authentication_code: str | None = None


@dataclass(frozen=True, slots=True)
class Registered:
    """The invoice is registered: print these markings."""

    index: int
    uid: str
    mark: int
    authentication_code: str | None = None
    qr_url: str | None = None
    reception_emails: tuple[str, ...] = ()
    reception_providers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """Success without an invoice registration (cancellation, payment, classification)."""

    index: int
    invoice_mark: int | None = None
    cancellation_mark: int | None = None
    payment_method_mark: int | None = None
    classification_mark: int | None = None


@dataclass(frozen=True, slots=True)
class BusinessRejected:
    """ValidationError / XMLSyntaxError: myDATA refused the invoice; do not retry as is."""

    index: int
    status_code: str
    errors: tuple[ErrorItem, ...] = field(default_factory=tuple)

    @property
    def duplicate(self) -> Duplicate | None:
        """The 228/233 "already sent" error, if that is why it was refused."""
        from mydata.response.duplicates import find_duplicate

        return find_duplicate(self.errors)


@dataclass(frozen=True, slots=True)
class TechnicalRejected:
    """statusCode TechnicalError: myDATA failed internally; retry later (SPEC API-5)."""

    index: int
    errors: tuple[ErrorItem, ...] = field(default_factory=tuple)


ResponseEntry = Registered | Acknowledged | BusinessRejected | TechnicalRejected
