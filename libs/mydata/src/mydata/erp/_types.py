"""Field types of the seed-002 table: sizes become constraints pydantic reports by field name."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
# A ``String n`` field that holds a numeric myDATA code (vatcat, paytype, …).
Code10 = Annotated[str, StringConstraints(max_length=10, pattern=r"^\d+$")]
Code20 = Annotated[str, StringConstraints(max_length=20, pattern=r"^\d+$")]
# ``Numeric d,p``: at most d digits, p of them decimals; myDATA amounts are never negative.
Num10_2 = Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=0)]
Num10_5 = Annotated[Decimal, Field(max_digits=10, decimal_places=5, ge=0)]
Num13_2 = Annotated[Decimal, Field(max_digits=13, decimal_places=2, ge=0)]
Num13_5 = Annotated[Decimal, Field(max_digits=13, decimal_places=5, ge=0)]
Num15_5 = Annotated[Decimal, Field(max_digits=15, decimal_places=5, ge=0)]
# ``Numeric n`` without decimals.
Int1 = Annotated[int, Field(ge=0, le=9)]
Int5 = Annotated[int, Field(ge=0, le=99_999)]
Int14 = Annotated[int, Field(ge=0, le=10**14 - 1)]
LineNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]  # seed: 10 digits; XSD: xs:int ≥ 1
OneOrTwo = Annotated[int, Field(ge=1, le=2)]
ZeroOrOne = Annotated[int, Field(ge=0, le=1)]

ErpDate = Annotated[date, BeforeValidator(_iso_date)]
ErpTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")]
SeriesText = Annotated[str, StringConstraints(max_length=20), BeforeValidator(_iso_8859_7)]
InvoiceTypeCode = Annotated[str, StringConstraints(max_length=20, pattern=r"^\d{1,2}\.\d{1,2}$")]
Flag = Annotated[bool, Field(strict=False)]
