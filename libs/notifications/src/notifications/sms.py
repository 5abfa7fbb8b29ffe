"""The length rules of an SMS: which alphabet a text needs and how many parts it is sent in.

GSM 03.38's 7-bit alphabet holds Latin letters, digits, some accented Latin letters and, of
Greek, only the capitals Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ (the other capitals look like Latin ones and are
expected to be written with those). One character outside it (lower-case or accented Greek, an
emoji) makes the whole message UCS-2. A single message holds 160 GSM-7 septets or 70 UCS-2
units; a longer one is split into parts of 153 or 67 (the rest of each part is the
concatenation header). Characters of the GSM-7 extension table take two septets (escape +
code), and neither an escape pair nor a UTF-16 surrogate pair is split across parts, so the
count is made part by part rather than by division.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Encoding = "GSM-7"
UCS2: Encoding = "UCS-2"

# GSM 03.38 default alphabet (position order; 0x1B, the escape, is not a character).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs an escape septet plus its own.
_GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

_LIMITS: dict[Encoding, tuple[int, int]] = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True, slots=True)
class SmsShape:
    """How an SMS text travels: its alphabet, its length in that alphabet's units (septets or
    UTF-16 units) and the number of parts the gateway sends (and charges)."""

    encoding: Encoding
    units: int
    parts: int

    @property
    def single_limit(self) -> int:
        return _LIMITS[self.encoding][0]


def encoding_of(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 alphabet (with its extension), else UCS-2."""
    allowed = _GSM7_BASIC | _GSM7_EXTENSION
    return GSM7 if all(ch in allowed for ch in text) else UCS2


def _cost(ch: str, encoding: Encoding) -> int:
    if encoding == GSM7:
        return 2 if ch in _GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # outside the BMP: a surrogate pair


def _parts(costs: list[int], per_part: int) -> int:
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:  # an escape or surrogate pair moves whole to the next part
            parts, used = parts + 1, 0
        used += cost
    return parts


def sms_shape(text: str) -> SmsShape:
    """The alphabet, length and number of parts of ``text`` as one SMS (pure; no gateway)."""
    encoding = encoding_of(text)
    costs = [_cost(ch, encoding) for ch in text]
    units = sum(costs)
    single, per_part = _LIMITS[encoding]
    parts = 1 if units <= single else _parts(costs, per_part)
    return SmsShape(encoding, units, parts)
