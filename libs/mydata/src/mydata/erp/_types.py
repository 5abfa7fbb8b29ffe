"""Field types of the seed-002 table: sizes become constraints pydantic reports by field name.

Strings keep seed 002's sizes. Amounts do not: they take myDATA's own ``AmountType`` range (SPEC
API-1), see :func:`_decimal`. Refusals raised here are ``PydanticCustomError`` so that the message
is the rule itself (``must not be negative``), without pydantic's ``Value error,`` prefix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits: \d is any script's
# Plain decimal notation only: "1_000", "1e3" or Arabic-Indic digits, which Decimal() would also
# take, are not what an ERP means by an amount written as text.
_DECIMAL_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_LONGEST_DECIMAL_TEXT = 64  # far beyond any acceptable amount; bounds the work done on garbage
AMOUNT_DIGITS = 15  # AmountType totalDigits
AMOUNT_INTEGER_DIGITS = 13  # the XML carries 2 decimals: 15 − 2 digits before the point
ERP_DECIMALS = 5  # seed 002 sends amounts with up to 5 decimals
INT64_DIGITS = 19  # every whole-number field of the seed fits in 64 bits


def _iso_date(value: Any) -> Any:
    # pydantic alone would also take unix timestamps and datetimes; the seed says YYYY-mm-dd only.
    if isinstance(value, date) or (isinstance(value, str) and _DATE.match(value)):
        return value
    raise ValueError("must be a date written YYYY-mm-dd")


def _iso_8859_7(value: Any) -> Any:
    # myDATA hashes series/aa as ISO-8859-7 for the uid; anything else cannot be registered.
    if isinstance(value, str):
        try:
            value.encode("iso-8859-7")
        except UnicodeEncodeError as exc:
            raise ValueError("must contain only Greek/Latin (ISO-8859-7) characters") from exc
    return value


def _refuse(rule: str) -> PydanticCustomError:
    return PydanticCustomError("erp_number", rule)


def _as_decimal(value: Any) -> Decimal:
    """The exact number an ERP sent: JSON numbers (Decimal on the exact path, float or int from
    orjson), or numeric text."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _refuse("must be a finite number")
        return Decimal(value)  # a plain Decimal, not the exact path's JsonFraction marker
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse("must be a finite number")
        # repr is the shortest text that reads back as this float: the literal the ERP wrote
        # (loads_invoice_json only lets orjson read literals of at most 15 digits).
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= _LONGEST_DECIMAL_TEXT and _DECIMAL_TEXT.fullmatch(text):
            return Decimal(text)
    raise _refuse("must be a number written with a decimal point (e.g. 1500.25)")


def _digits(value: Decimal) -> tuple[int, int]:
    """(digits before the point, decimal places) of a finite value; fractional trailing zeros
    carry no information and are not counted (``1500.000000`` is 4 + 0)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: checked by _as_decimal
    if not any(digits):
        return 0, 0  # a zero, however written (0, 0.00, 0E-10)
    count = len(digits)
    while exponent < 0 and count > 1 and digits[count - 1] == 0:
        count -= 1
        exponent += 1
    if exponent >= 0:
        return count + exponent, 0
    places = -exponent
    return max(count - places, 0), places


def _canonical(value: Decimal, places: int) -> Decimal:
    # No exponent notation ("1E+3", "0E-10") may be kept: the value is dumped as text
    # (model_dump) and read again by parse_erp_invoice, which takes plain notation only.
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0:
        return value.quantize(Decimal(1))
    if exponent < -places:
        return value.quantize(Decimal(1).scaleb(-places))
    return value


def _decimal(integer: int, places: int, total: int) -> Callable[[Any], Decimal]:
    """A non-negative decimal of at most ``total`` digits, ``integer`` of them before the point
    and ``places`` after it. ``-0`` and ``-0.0`` are negative here: an ERP that writes the sign
    has computed a negative value that rounded to zero."""

    def check(value: Any) -> Decimal:
        number = _as_decimal(value)
        if number.is_signed():
            raise _refuse("must not be negative")
        before, after = _digits(number)
        if after > places:
            raise _refuse(f"too many decimal places (at most {places})")
        if before > integer:
            raise _refuse(f"too many digits before the decimal point (at most {integer})")
        if before + after > total:
            raise _refuse(f"too many digits (at most {total} in all)")
        return _canonical(number, places)

    return check


def _whole(value: Any) -> Any:
    # int(Decimal("1E+999999999")) would build a billion-digit integer before any bound is
    # checked: refuse magnitudes past 64 bits first (the exact JSON path gives such Decimals).
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= INT64_DIGITS:
        raise _refuse(f"must be a whole number of at most {INT64_DIGITS} digits")
    return value


# Named aliases (not factory calls) so that mypy accepts them as annotations.
Text3 = Annotated[str, StringConstraints(max_length=3)]
Text5 = Annotated[str, StringConstraints(max_length=5)]
Text10 = Annotated[str, StringConstraints(max_length=10)]
Text20 = Annotated[str, StringConstraints(max_length=20)]
Text45 = Annotated[str, StringConstraints(max_length=45)]
Text50 = Annotated[str, StringConstraints(max_length=50)]
Text60 = Annotated[str, StringConstraints(max_length=60)]
Text100 = Annotated[str, StringConstraints(max_length=100)]
Text350 = Annotated[str, StringConstraints(max_length=350)]
# A ``String n`` field that holds a numeric myDATA code (vatcat, paytype, …); which codes myDATA
# accepts is checked against the table of mydata.erp.codes.
Code10 = Annotated[str, StringConstraints(max_length=10, pattern=r"^[0-9]+$")]
Code20 = Annotated[str, StringConstraints(max_length=20, pattern=r"^[0-9]+$")]
# Amounts: myDATA's AmountType (15 digits, 13 before the point once written with 2 decimals),
# never negative, up to 5 decimals from the ERP. Quantities: the XSD's quantity is an unbounded
# positive decimal, written as sent: 15 digits, up to 5 of them decimals.
Amount = Annotated[
    Decimal, BeforeValidator(_decimal(AMOUNT_INTEGER_DIGITS, ERP_DECIMALS, AMOUNT_DIGITS))
]
Quantity = Annotated[Decimal, BeforeValidator(_decimal(AMOUNT_DIGITS, ERP_DECIMALS, AMOUNT_DIGITS))]
# ``exchrate`` keeps the seed's ``Numeric 13,5``; checks.py adds ExchangeRateType's ≤ 50000.
Num13_5 = Annotated[Decimal, Field(max_digits=13, decimal_places=5, ge=0)]
# ``Numeric n`` without decimals.
Int5 = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=99_999)]
Int14 = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=10**14 - 1)]
# seed: 10 digits; XSD: xs:int ≥ 1
LineNumber = Annotated[int, BeforeValidator(_whole), Field(ge=1, le=2_147_483_647)]
ZeroOrOne = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=1)]

ErpDate = Annotated[date, BeforeValidator(_iso_date)]
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
ErpTime = Annotated[str, StringConstraints(pattern=_TIME)]
SeriesText = Annotated[str, StringConstraints(max_length=20), BeforeValidator(_iso_8859_7)]
Flag = Annotated[bool, Field(strict=False)]
