"""OpenAPI documentation of ``/vat-registry/{vat}`` (mydata-sync's answers, passed through)."""

from __future__ import annotations

from typing import Any

from api_gateway.responses import RATE_LIMITED, UNAUTHORIZED, error_doc
from contracts import registry
from contracts.registry import RegistryAnswer

LOOK_UP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": RegistryAnswer, "description": "The taxpayer's registry entry"},
    400: error_doc(
        "Not a valid Greek VAT number (no call made)",
        "invalid_request",
        "Μη έγκυρο αίτημα",
        "Ο ΑΦΜ δεν είναι έγκυρος",
    ),
    401: UNAUTHORIZED,
    403: error_doc(
        "GSIS blocked the codes' owner",
        registry.REGISTRY_BLOCKED,
        "Αποκλεισμός από τη ΓΓΠΣ",
        "Ο ΑΦΜ των κωδικών έχει αποκλειστεί",
    ),
    404: error_doc(
        "No such taxpayer",
        registry.REGISTRY_NOT_FOUND,
        "Ο ΑΦΜ δεν βρέθηκε",
        "Δεν βρέθηκε φορολογούμενος με αυτόν τον ΑΦΜ",
    ),
    409: error_doc(
        "No GSIS codes stored (``vat_registry_codes_missing``) or GSIS refused them"
        " (``vat_registry_codes_refused``): the customer enters them in the portal",
        registry.REGISTRY_CODES_MISSING,
        "Λείπουν οι ειδικοί κωδικοί",
        "Δεν έχουν αποθηκευτεί ειδικοί κωδικοί της ΓΓΠΣ· καταχωρίστε τους στην πύλη",
    ),
    429: {
        **RATE_LIMITED,
        "description": "This route's rate limit, or a GSIS limit"
        " (``vat_registry_limit_reached``); retry after ``Retry-After`` seconds",
    },
    503: error_doc(
        "GSIS (or the platform) cannot answer now; retry after ``Retry-After``",
        registry.REGISTRY_UNAVAILABLE,
        "Το μητρώο ΑΦΜ δεν είναι διαθέσιμο",
        "Η υπηρεσία μητρώου ΑΦΜ της ΑΑΔΕ δεν απαντά· δοκιμάστε ξανά σε λίγο",
    ),
}
