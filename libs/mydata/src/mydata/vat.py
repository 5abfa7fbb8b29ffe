"""Greek VAT numbers (ΑΦΜ): the check digit, checked before any call that names one.

Nine digits; weights 2⁸ … 2¹ over the first eight, ``(sum mod 11) mod 10`` is the ninth; all
zeros is refused (INTEGRATIONS.md §1). Used wherever a VAT number arrives from a person or an
ERP and is about to cost something: a registry lookup, an authorisation, a new customer.
"""

from __future__ import annotations

import re

_NINE_DIGITS = re.compile(r"^\d{9}$")


def vat_problem(vat: str) -> str | None:
    """Why ``vat`` is not a valid Greek VAT number, or None when it is."""
    if not _NINE_DIGITS.match(vat):
        return "must be 9 digits"
    if vat == "000000000":
        return "must not be all zeros"
    total = sum(int(digit) << (8 - i) for i, digit in enumerate(vat[:8]))
    if (total % 11) % 10 != int(vat[8]):
        return "check digit does not match"
    return None


def is_valid_greek_vat(vat: str) -> bool:
    return vat_problem(vat) is None
