"""Pydantic models of the seed-002 ``POST /invoice-data`` body.

Strict by design (``extra="forbid"``): a misspelt field is an error, not silently dropped data.
Concessions to what ERPs really send, all documented in docs/mydata-mapping.md §1:

* whole numbers are accepted where the seed says ``String`` (``"aa": 26``); fractions are not,
  since a float cannot say whether ``26.50`` or ``26.5`` was meant;
* blank strings and ``null`` mean "not given" for optional fields;
* an optional code field sent as ``0``/``"0"`` where myDATA has no code 0 means "not given"
  (the table and its XSD sources are in :mod:`mydata.erp.codes`);
* amounts take myDATA's own ``AmountType`` range rather than the seed's ``Number(10,5)``.

Refused whatever the field: a string with a C0 control character other than TAB/LF/CR, U+FFFE,
U+FFFF or a lone surrogate (PostgreSQL cannot store NUL, lxml cannot write the others).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from contracts.text import FORBIDDEN_TEXT
from mydata.erp._types import (
    Amount,
    Code10,
    Code20,
    ErpDate,
    ErpTime,
    Flag,
    Int5,
    Int14,
    LineNumber,
    Num13_5,
    Quantity,
    SeriesText,
    Text3,
    Text5,
    Text10,
    Text20,
    Text45,
    Text50,
    Text60,
    Text100,
    Text350,
    ZeroOrOne,
)
from mydata.erp.codes import CODES, ZERO_IS_ABSENT, is_zero
from mydata.erp.jsonbody import is_integer_literal

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
# The characters no text of the platform holds (lxml and PostgreSQL refuse them), one rule.
CONTROL_CHARACTERS = FORBIDDEN_TEXT
XS_LONG_MAX = 2**63 - 1  # correlatedInvoices is xs:long


@dataclass(frozen=True, slots=True)
class ControlCharacters:
    """Stands in for a string that carries a refused character: no field type accepts it, so
    pydantic reports it at the field's own path and ``describe_errors`` words the rule."""

    code_point: int

    @property
    def rule(self) -> str:
        return f"must not contain control characters (U+{self.code_point:04X})"


def is_blank(value: Any) -> bool:
    # str.strip() also strips U+001C–U+001F: those are refused, never taken for blanks.
    return isinstance(value, str) and not value.strip() and CONTROL_CHARACTERS.search(value) is None


_ABSENT = object()


def _prepared(name: str, value: Any, text: bool) -> Any:
    """One known field's value as the field types expect it, or ``_ABSENT``."""
    # Strings first and inline: this runs for every field of every line.
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        if found is not None:
            return ControlCharacters(ord(found.group()))
        stripped = value.strip()
        if not stripped or (stripped == "0" and name in ZERO_IS_ABSENT):
            return _ABSENT  # blank, or a code 0 myDATA does not have: the default applies
        return value
    if value is None or (name in ZERO_IS_ABSENT and is_zero(value)):
        return _ABSENT
    if text and is_integer_literal(value):
        return str(value)
    return value


def _is_text(annotation: Any) -> bool:
    if typing.get_origin(annotation) is Annotated:
        return _is_text(typing.get_args(annotation)[0])
    if annotation is str:
        return True
    return any(_is_text(arg) for arg in typing.get_args(annotation))


def _long_marks(value: str | None) -> str | None:
    if value and any(int(mark) > XS_LONG_MAX for mark in re.findall("[0-9]+", value)):
        raise PydanticCustomError("xs_long", "each MARK must be at most 9223372036854775807")
    return value


# MARKs separated by commas, semicolons or blanks; each an xs:long.
Marks = Annotated[
    str,
    Field(max_length=350, pattern=r"^[0-9]+([\s,;]+[0-9]+)*$"),
    AfterValidator(_long_marks),
]


class _ErpModel(BaseModel):
    model_config = _CONFIG
    _known_fields: ClassVar[frozenset[str]] = frozenset()
    _text_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields.items()
        cls._known_fields = frozenset(cls.model_fields)
        cls._text_fields = frozenset(n for n, f in fields if _is_text(f.annotation))

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        known, text, out = cls._known_fields, cls._text_fields, {}
        for name, value in data.items():
            if name in known:
                value = _prepared(name, value, name in text)
                if value is _ABSENT:
                    continue
            out[name] = value
        return out

    @field_validator(*CODES, mode="after", check_fields=False)
    @classmethod
    def _code(cls, value: Any, info: ValidationInfo) -> Any:
        code = CODES[info.field_name or ""]
        if value is not None and not code.accepts(value):
            raise PydanticCustomError("mydata_code", code.rule)
        return value


class EmailOptions(_ErpModel):
    """``einv00``: how the invoice e-mail is sent (SPEC API-10)."""

    p01: Int5 | None = None  # 1 service only, 2 service or p010
    p02: Int5 | None = None  # 1 en, 2 p020, absent = el
    p010: Annotated[str, Field(max_length=50, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    p020: Annotated[str, Field(max_length=2, pattern=r"^[A-Za-z]{2}$")] | None = None


class ErpLine(_ErpModel):
    """One ``einv02[]`` element: an invoice row, or a tax row (``taxtype`` without ``vatcat``)."""

    mydt10: Int14 | None = None
    mydt57_p00: Text20 | None = None  # income classificationCategory (category1_x)
    mydt58_p00: Text20 | None = None  # expenses classificationCategory (category2_x)
    mydt61_p00: Text20 | None = None  # income classificationType (E3_…)
    mydt62_p00: Text20 | None = None  # expenses classificationType (E3_…)
    mydt62_p01: Text20 | None = None  # expenses VAT classificationType (VAT_…)
    linenumber: LineNumber | None = None
    rectype: Int5 | None = None
    p104: Int5 | None = None
    quantity: Quantity | None = None
    fuelcode: Int5 | None = None
    munit: Code20 | None = None
    invdtype: Code20 | None = None
    netvalue: Amount | None = None
    vatcat: Code20 | None = None
    vatexcat: Code20 | None = None
    fpavalue: Amount | None = None
    appid: Text50 | None = None
    appdate: ErpDate | None = None
    doy: Text45 | None = None
    shipid: Text100 | None = None
    discoption: ZeroOrOne | None = None
    wthhldpcat: Code20 | None = None
    wthhld_am: Amount | None = None
    stampvalue: Amount | None = None
    stamppcat: Code20 | None = None
    feestype: Code20 | None = None
    fees_am: Amount | None = None
    otaxpcat: Code20 | None = None
    otax_am: Amount | None = None
    deducvalue: Amount | None = None
    comments: Text350 | None = None
    taxcat: Code10 | None = None
    taxtype: Code10 | None = None
    taxamount: Amount | None = None
    taxunder: Amount | None = None
    p105: Quantity | None = None  # display quantity, widened like quantity
    p106: str | None = None

    @property
    def is_tax_row(self) -> bool:
        """A taxes-per-invoice entry (``taxesTotals``) rather than an ``invoiceDetails`` row."""
        return self.taxtype is not None and self.vatcat is None


class ErpInvoice(_ErpModel):
    """The whole seed-002 POST body."""

    transmission_failure: ZeroOrOne = 0
    is_vat: Text20
    is_country: Text3 = "GR"
    is_branch: Int5 = 0
    is_name: Text60 | None = None
    is_address: Text100 | None = None
    is_address_num: Text5 | None = None
    is_city: Text100 | None = None
    is_zip: Text20 | None = None
    cp_vat: Text20 | None = None
    cp_country: Text3 | None = None
    cp_branch: Int5 | None = None
    cp_name: Text60 | None = None
    cp_address: Text100 | None = None
    cp_city: Text100 | None = None
    cp_zip: Text20 | None = None
    cp_address_num: Text5 | None = None
    slr_taxr_name: Text60 | None = None
    slr_taxr_vat: Text20 | None = None
    series: SeriesText
    aa: SeriesText
    issuedate: ErpDate
    issuetime: ErpTime | None = None
    invtype: Text20
    vatpaysusp: Flag | None = None
    currency: Text5 | None = None
    exchrate: Num13_5 | None = None
    correlinv: Marks | None = None
    slfpricing: Flag | None = None
    dispdate: ErpDate | None = None
    disptime: ErpTime | None = None
    vehiclenum: Text10 | None = None
    mvpurpose: Code20 | None = None
    paytype: Code20 | None = None
    fuelinvoice: Flag | None = None
    tnetvalue: Amount
    tvat_am: Amount
    twthhld_am: Amount = Decimal(0)
    tfees_am: Amount = Decimal(0)
    tstamp_am: Amount = Decimal(0)
    ttax_am: Amount = Decimal(0)
    tdeduction: Amount = Decimal(0)
    tgross_val: Amount
    p00: Int5 | None = None
    pnr01: Text100 | None = None
    einv02: Annotated[list[ErpLine], Field(min_length=1)]
    einv00: EmailOptions | None = None
    lang: Text3 | None = None

    @property
    def correlated_marks(self) -> list[int]:
        """``correlinv`` split on commas, semicolons or blanks."""
        if not self.correlinv:
            return []
        return [int(p) for p in self.correlinv.replace(",", " ").replace(";", " ").split()]

    @property
    def rows(self) -> list[ErpLine]:
        return [line for line in self.einv02 if not line.is_tax_row]

    @property
    def tax_rows(self) -> list[ErpLine]:
        return [line for line in self.einv02 if line.is_tax_row]
