"""Mobile numbers in E.164 (``+<country><number>``), the form the notifier sends SMS to.

The admin app keeps what the operator typed (seed 000: «Κινητό Τηλέφωνο», e.g. ``6900000000``);
a Greek mobile number without a country code is ``+30`` followed by ten digits starting ``69``.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s().-]")
_GREEK_MOBILE = re.compile(r"^69\d{8}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def e164_mobile(number: str, default_country: str = "30") -> str:
    """``number`` as ``+<digits>``; ``ValueError`` when it cannot be a mobile number.

    Accepts ``+30 690 000 0000``, ``0030…``, ``30…`` and the bare ten Greek digits."""
    digits = _SEPARATORS.sub("", number.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif _GREEK_MOBILE.match(digits) and default_country == "30":
        digits = "+30" + digits
    elif not digits.startswith("+") and digits.startswith(default_country):
        digits = "+" + digits
    if not _E164.match(digits):
        raise ValueError(f"not a mobile number in E.164 form: {number!r}")
    if digits.startswith("+30") and not _GREEK_MOBILE.match(digits[3:]):
        raise ValueError(f"not a Greek mobile number (+30 69…, ten digits): {number!r}")
    return digits
