"""A failed look-up as the platform's error: one code per thing the caller can do about it,
the GSIS code in ``data`` for support, Greek and English text."""

from __future__ import annotations

from contracts import registry as codes
from gsis.errors import Outcome, Refused, RegistryError
from kit.errors import AppError

RETRY_AFTER_S = {Outcome.LIMITED: 3600, Outcome.UNAVAILABLE: 60}
_STATUS = {
    Outcome.CODES_REFUSED: (
        409,
        codes.REGISTRY_CODES_REFUSED,
        "Οι ειδικοί κωδικοί απορρίφθηκαν",
        "Special codes refused",
    ),
    Outcome.BLOCKED: (403, codes.REGISTRY_BLOCKED, "Αποκλεισμός από τη ΓΓΠΣ", "Blocked by GSIS"),
    Outcome.LIMITED: (429, codes.REGISTRY_LIMITED, "Όριο αναζητήσεων", "Look-up limit reached"),
    Outcome.NOT_FOUND: (404, codes.REGISTRY_NOT_FOUND, "Ο ΑΦΜ δεν βρέθηκε", "VAT number not found"),
    Outcome.UNAVAILABLE: (
        503,
        codes.REGISTRY_UNAVAILABLE,
        "Το μητρώο ΑΦΜ δεν είναι διαθέσιμο",
        "VAT registry unavailable",
    ),
}
_UNAVAILABLE_EL = "Η υπηρεσία μητρώου ΑΦΜ της ΑΑΔΕ δεν απαντά· δοκιμάστε ξανά σε λίγο"
_UNAVAILABLE_EN = "AADE's VAT registry does not answer; try again shortly"


def registry_error(exc: RegistryError) -> AppError:
    status, code, title_el, title_en = _STATUS[exc.outcome]
    if isinstance(exc, Refused):
        message_el, message_en, data = exc.message_el, exc.message_en, {"registry_code": exc.code}
    else:
        message_el, message_en, data = _UNAVAILABLE_EL, _UNAVAILABLE_EN, None
    retry_after = RETRY_AFTER_S.get(exc.outcome)
    return AppError(
        message_el,
        message_en=message_en,
        code=code,
        title=title_el,
        title_en=title_en,
        status_code=status,
        data=data,
        headers={"Retry-After": str(retry_after)} if retry_after else None,
    )


def codes_missing(provider: bool) -> AppError:
    if provider:
        message_el = "Ο πάροχος δεν έχει ορίσει ειδικούς κωδικούς (EINV_GSIS_USERNAME)"
        message_en = "The provider has no special codes set (EINV_GSIS_USERNAME)"
    else:
        message_el = "Δεν έχουν αποθηκευτεί ειδικοί κωδικοί της ΓΓΠΣ· καταχωρίστε τους στην πύλη"
        message_en = "No GSIS special codes are stored; enter them in the portal"
    return AppError(
        message_el,
        message_en=message_en,
        code=codes.REGISTRY_CODES_MISSING,
        title="Λείπουν οι ειδικοί κωδικοί",
        title_en="Special codes missing",
        status_code=409,
    )


def codes_refused_before(refusal: str) -> AppError:
    """Stored codes GSIS already refused: asking again would only count towards its lock-out."""
    error = registry_error(Refused(refusal, ""))
    error.message += "· καταχωρίστε νέους κωδικούς στην πύλη"
    error.message_en = f"{error.message_en}; enter new codes in the portal"
    return error
