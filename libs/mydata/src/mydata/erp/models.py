"""Pydantic models of the seed-002 ``POST /invoice-data`` body.

Strict by design (``extra="forbid"``): a misspelt field is an error, not silently dropped data.
Two concessions to what ERPs really send, both documented in docs/mydata-mapping.md:
numbers are accepted where the seed says ``String`` (``"aa": 26``), and blank strings mean
"not given" for optional fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mydata.erp._types import (
    Code10,
    Code20,
    ErpDate,
    ErpTime,
    Flag,
    Int5,
    Int14,
    InvoiceTypeCode,
    LineNumber,
    Num10_2,
    Num10_5,
    Num13_2,
    Num13_5,
    Num15_5,
    OneOrTwo,
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

_CONFIG = ConfigDict(
    extra="forbid",
    str_strip_whitespace=True,
    coerce_numbers_to_str=True,
    frozen=True,
)


def _drop_blanks(data: Any) -> Any:
    # ERPs send "" or null for "not given"; dropping the key lets the field's default apply.
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if v is not None and not _blank(v)}
    return data


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


class _ErpModel(BaseModel):
    model_config = _CONFIG

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return _drop_blanks(data)


class EmailOptions(_ErpModel):
    """``einv00``: how the invoice e-mail is sent (SPEC API-10)."""

    p01: OneOrTwo | None = None  # 1 service only, 2 service or p010
    p02: OneOrTwo | None = None  # 1 en, 2 p020, absent = el
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
    rectype: Annotated[int, Field(ge=1, le=7)] | None = None
    p104: OneOrTwo | None = None
    quantity: Num10_5 | None = None
    fuelcode: Int5 | None = None
    munit: Code20 | None = None
    invdtype: Code20 | None = None
    netvalue: Num10_5 | None = None
    vatcat: Code20 | None = None
    vatexcat: Code20 | None = None
    fpavalue: Num10_5 | None = None
    appid: Text50 | None = None
    appdate: ErpDate | None = None
    doy: Text45 | None = None
    shipid: Text100 | None = None
    discoption: ZeroOrOne | None = None
    wthhldpcat: Code20 | None = None
    wthhld_am: Num13_5 | None = None
    stampvalue: Num13_5 | None = None
    stamppcat: Code20 | None = None
    feestype: Code20 | None = None
    fees_am: Num13_5 | None = None
    otaxpcat: Code20 | None = None
    otax_am: Num13_5 | None = None
    deducvalue: Num13_5 | None = None
    comments: Text350 | None = None
    taxcat: Code10 | None = None
    taxtype: Code10 | None = None
    taxamount: Num13_2 | None = None
    taxunder: Num13_2 | None = None
    p105: Num10_2 | None = None
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
    invtype: InvoiceTypeCode
    vatpaysusp: Flag | None = None
    currency: Text5 | None = None
    exchrate: Num13_5 | None = None
    correlinv: Annotated[str, Field(max_length=350, pattern=r"^\d+([\s,;]+\d+)*$")] | None = None
    slfpricing: Flag | None = None
    dispdate: ErpDate | None = None
    disptime: ErpTime | None = None
    vehiclenum: Text10 | None = None
    mvpurpose: Code20 | None = None
    paytype: Code20 | None = None
    fuelinvoice: Flag | None = None
    tnetvalue: Num13_5
    tvat_am: Num13_5
    twthhld_am: Num13_5 = Decimal(0)
    tfees_am: Num15_5 = Decimal(0)
    tstamp_am: Num13_5 = Decimal(0)
    ttax_am: Num13_5 = Decimal(0)
    tdeduction: Num13_5 = Decimal(0)
    tgross_val: Num13_5
    p00: OneOrTwo | None = None
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
