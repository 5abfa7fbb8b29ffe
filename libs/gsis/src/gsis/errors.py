"""What a look-up can end in besides a registration, and what each GSIS error code means for the
caller: re-enter the codes (never retry), back off, "not found", or the registry is unavailable.
"""

from __future__ import annotations

from enum import Enum

PREFIX = "RG_WS_PUBLIC_"


class Outcome(Enum):
    CODES_REFUSED = "codes_refused"  # ask for the codes again; never retry with these
    BLOCKED = "blocked"  # the codes' owner is blocked: GSIS must lift it
    LIMITED = "limited"  # a call limit: try again later
    NOT_FOUND = "not_found"  # no such taxpayer (or never a business)
    UNAVAILABLE = "unavailable"  # GSIS cannot answer now


# error_code without the RG_WS_PUBLIC_ prefix → (outcome, Greek message, English message)
CODES: dict[str, tuple[Outcome, str, str]] = {
    "TOKEN_USERNAME_NOT_DEFINED": (
        Outcome.CODES_REFUSED,
        "Δεν δόθηκε όνομα χρήστη των ειδικών κωδικών",
        "No special-codes username was given",
    ),
    "TOKEN_USERNAME_NOT_AUTHENTICATED": (
        Outcome.CODES_REFUSED,
        "Λάθος όνομα χρήστη ή κωδικός των ειδικών κωδικών",
        "Wrong special-codes username or password",
    ),
    "TOKEN_USERNAME_NOT_ACTIVE": (
        Outcome.CODES_REFUSED,
        "Οι ειδικοί κωδικοί δεν είναι ενεργοί",
        "The special codes are not active",
    ),
    "TOKEN_USERNAME_TOO_LONG": (
        Outcome.CODES_REFUSED,
        "Το όνομα χρήστη των ειδικών κωδικών είναι πολύ μεγάλο",
        "The special-codes username is too long",
    ),
    "TOKEN_AFM_NOT_REGISTERED": (
        Outcome.CODES_REFUSED,
        "Ο ΑΦΜ των κωδικών δεν έχει εγγραφεί στην υπηρεσία",
        "The codes' VAT number is not registered for the service",
    ),
    "TOKEN_AFM_NOT_AUTHORIZED": (
        Outcome.CODES_REFUSED,
        "Ο ΑΦΜ των κωδικών δεν έχει δικαίωμα χρήσης της υπηρεσίας",
        "The codes' VAT number may not use the service",
    ),
    "TOKEN_AFM_NOT_FOUND": (
        Outcome.CODES_REFUSED,
        "Δεν βρέθηκε ο ΑΦΜ των κωδικών",
        "The codes' VAT number was not found",
    ),
    "AFM_CALLED_BY_NOT_FOUND": (
        Outcome.CODES_REFUSED,
        "Δεν βρέθηκε ο ΑΦΜ για λογαριασμό του οποίου γίνεται η αναζήτηση",
        "The VAT number searched on behalf of was not found",
    ),
    "AFM_CALLED_BY_NOT_ALLOWED": (
        Outcome.CODES_REFUSED,
        "Δεν επιτρέπεται η αναζήτηση για λογαριασμό αυτού του ΑΦΜ",
        "Searching on behalf of this VAT number is not allowed",
    ),
    "TOKEN_AFM_BLOCKED": (
        Outcome.BLOCKED,
        "Ο ΑΦΜ των κωδικών έχει αποκλειστεί από την υπηρεσία",
        "The codes' VAT number is blocked from the service",
    ),
    "AFM_CALLED_BY_BLOCKED": (
        Outcome.BLOCKED,
        "Ο ΑΦΜ για λογαριασμό του οποίου γίνεται η αναζήτηση έχει αποκλειστεί",
        "The VAT number searched on behalf of is blocked",
    ),
    "FAILURES_TOLERATED_EXCEEDED": (
        Outcome.LIMITED,
        "Πολλές αποτυχημένες προσπάθειες· δοκιμάστε ξανά σε μερικές ώρες",
        "Too many failed attempts; try again in a few hours",
    ),
    "MAX_DAILY_USERNAME_CALLS_EXCEEDED": (
        Outcome.LIMITED,
        "Εξαντλήθηκε το ημερήσιο όριο αναζητήσεων των κωδικών",
        "The codes' daily look-up limit is used up",
    ),
    "MONTHLY_LIMIT_EXCEEDED": (
        Outcome.LIMITED,
        "Εξαντλήθηκε το μηνιαίο όριο αναζητήσεων των κωδικών",
        "The codes' monthly look-up limit is used up",
    ),
    "WRONG_AFM": (Outcome.NOT_FOUND, "Ο ΑΦΜ δεν είναι έγκυρος", "Not a valid VAT number"),
    "TAXPAYER_NF": (
        Outcome.NOT_FOUND,
        "Δεν βρέθηκε φορολογούμενος με αυτόν τον ΑΦΜ",
        "No taxpayer has this VAT number",
    ),
    "EPIT_NF": (
        Outcome.NOT_FOUND,
        "Ο ΑΦΜ δεν ανήκει σε επιτηδευματία",
        "This VAT number never belonged to a business",
    ),
    "NO_INPUT_PARAMETERS": (
        Outcome.UNAVAILABLE,
        "Η αναζήτηση έφτασε στη ΓΓΠΣ χωρίς παραμέτρους",
        "The look-up reached GSIS without its parameters",
    ),
    "SERVICE_NOT_ACTIVE": (
        Outcome.UNAVAILABLE,
        "Η υπηρεσία μητρώου της ΑΑΔΕ δεν είναι διαθέσιμη",
        "AADE's registry service is not active",
    ),
    "MSG_TO_TAXISNET_ERROR": (
        Outcome.UNAVAILABLE,
        "Σφάλμα επικοινωνίας της υπηρεσίας με το TAXISnet",
        "The registry could not reach TAXISnet",
    ),
}
UNKNOWN = (
    Outcome.UNAVAILABLE,
    "Η υπηρεσία μητρώου απάντησε με άγνωστο σφάλμα",
    "The registry answered with an unknown error",
)


class RegistryError(Exception):
    """Base of every exception of this package."""

    outcome = Outcome.UNAVAILABLE


class Refused(RegistryError):
    """GSIS answered with an ``error_rec`` code."""

    def __init__(self, code: str, description: str) -> None:
        self.code = code
        self.description = description
        self.outcome, self.message_el, self.message_en = CODES.get(
            code.removeprefix(PREFIX), UNKNOWN
        )
        super().__init__(f"{code}: {description}")


class Unreachable(RegistryError):
    """No answer: connection refused, timed out, dropped, or an HTTP status besides 200."""


class SoapFault(RegistryError):
    """A SOAP 1.2 Fault: GSIS could not read the request (or failed inside)."""


class MalformedAnswer(RegistryError):
    """HTTP 200 with a body that is neither an error nor a registration."""
