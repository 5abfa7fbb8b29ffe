"""The code fields of the seed-002 body: which values myDATA accepts, and which mean "absent".

SPEC API-1: an optional code field sent as ``0``, ``"0"``, ``""`` or ``null`` where myDATA has no
such value means "absent" (ERPs send 0 for "none"). Whether 0 is a value is read off the XSD type
each field is written to, named per field below. Any other value must be one the XSD accepts: the
builder writes codes as given, and a code the XSD refuses would otherwise surface as an XML error
that names no ERP field.

Fields where 0 *is* meaningful keep it and are not in this table: ``is_branch``/``cp_branch``
(0 = head office, PartyType/branch xs:int), ``discoption`` (0 = no discount option),
``transmission_failure`` (0 = none) and the booleans (``vatpaysusp``, ``slfpricing``,
``fuelinvoice``: 0 = false).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any

from mydata.erp.jsonbody import is_integer_literal
from mydata.erp.xsd_enums import (
    COUNTRY_TYPE,
    CURRENCY_TYPE,
    EXPENSES_CATEGORY_TYPE,
    EXPENSES_VALUE_TYPE,
    FUEL_CODES,
    INCOME_CATEGORY_TYPE,
    INCOME_VALUE_TYPE,
    INVOICE_TYPE,
)

XS_INT_MAX = 2_147_483_647


@dataclass(frozen=True, slots=True)
class Numbers(Container[str]):
    """Whole numbers ``low``–``high`` written as text (``"01"`` is 1)."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            return False
        return self.low <= int(value) <= self.high

    def __str__(self) -> str:
        return f"{self.low}–{self.high}" if self.high < XS_INT_MAX else f"≥ {self.low}"


def category_code(value: str) -> str:
    """Accept ``category1_1`` as myDATA writes it, and the bare ``1_1`` some ERPs send."""
    if value.startswith("category") or not value or value[0] not in "123":
        return value
    return f"category{value}"


def _text(value: Any) -> str:
    return str(value)


def _upper(value: Any) -> str:
    return str(value).upper()  # the builder upper-cases countries and currencies


def _category(value: Any) -> str:
    return category_code(str(value))


@dataclass(frozen=True, slots=True)
class Code:
    """One code field: the XSD type its values come from and the values it accepts."""

    xsd: str
    accepted: Container[str]
    shown: str = ""  # how the accepted values are described when one is refused
    zero_is_absent: bool = True
    canonical: Callable[[Any], str] = _text  # the form compared with ``accepted``

    def accepts(self, value: Any) -> bool:
        return self.canonical(value) in self.accepted

    @property
    def rule(self) -> str:
        shown = self.shown or str(self.accepted)
        return f"must be one of myDATA's {self.xsd} codes ({shown})"


def _income_or_expense(field: str) -> Code:
    return Code(f"seed-002 {field}", Numbers(1, 2), "1 income, 2 expenses")


# Keyed by field name: the names are unique across the body, its lines and einv00.
CODES: dict[str, Code] = {
    # --- body → invoiceHeader, parties, paymentMethods (InvoicesDoc-v2.0.1.xsd)
    "invtype": Code("InvoiceType", INVOICE_TYPE, "1.1 … 17.6", zero_is_absent=False),  # required
    "is_country": Code("CountryType", COUNTRY_TYPE, "ISO 3166 alpha-2", canonical=_upper),
    "cp_country": Code("CountryType", COUNTRY_TYPE, "ISO 3166 alpha-2", canonical=_upper),
    "currency": Code("CurrencyType", CURRENCY_TYPE, "ISO 4217", canonical=_upper),
    "mvpurpose": Code("movePurpose (InvoiceHeaderType, xs:int)", Numbers(1, 20)),
    "paytype": Code("PaymentMethodDetailType/type (xs:int)", Numbers(1, 8)),
    "p00": _income_or_expense("p00"),  # no XSD element: side of the classifications
    # --- einv02[] invoice rows → invoiceDetails (InvoiceRowType)
    "rectype": Code("recType (InvoiceRowType, xs:int)", Numbers(1, 7)),
    "fuelcode": Code("FuelCodes", FUEL_CODES, "10 … 999"),
    "munit": Code("QuantityType", Numbers(1, 7)),
    "invdtype": Code("InvoiceDetailType", Numbers(1, 2)),
    "vatcat": Code("VatType", Numbers(1, 10)),
    "vatexcat": Code("VatExemptionType", Numbers(1, 31)),
    "wthhldpcat": Code("WithheldType", Numbers(1, 18)),
    "stamppcat": Code("StampDutyType", Numbers(1, 4)),
    "feestype": Code("FeesType", Numbers(1, 22)),
    "otaxpcat": Code("OtherTaxesType", Numbers(1, 30)),
    "p104": _income_or_expense("p104"),
    "mydt57_p00": Code(
        "IncomeClassificationCategoryType", INCOME_CATEGORY_TYPE, "category1_x", True, _category
    ),
    "mydt61_p00": Code("IncomeClassificationValueType", INCOME_VALUE_TYPE, "E3_…"),
    "mydt58_p00": Code(
        "ExpensesClassificationCategoryType", EXPENSES_CATEGORY_TYPE, "category2_x", True, _category
    ),
    "mydt62_p00": Code("ExpensesClassificationValueType", EXPENSES_VALUE_TYPE, "E3_…"),
    "mydt62_p01": Code("ExpensesClassificationValueType", EXPENSES_VALUE_TYPE, "VAT_…"),
    # --- einv02[] tax rows → taxesTotals/taxes (TaxTotalsType)
    "taxtype": Code("taxType (TaxTotalsType, xs:byte)", Numbers(1, 5)),
    "taxcat": Code("taxCategory (TaxTotalsType, xs:int)", Numbers(1, XS_INT_MAX)),
    # --- einv00: e-mail options of seed 002 (no XSD element)
    "p01": Code("seed-002 p01", Numbers(1, 2), "1 service only, 2 service or p010"),
    "p02": Code("seed-002 p02", Numbers(1, 2), "1 en, 2 p020"),
}

ZERO_IS_ABSENT = frozenset(name for name, code in CODES.items() if code.zero_is_absent)


def is_zero(value: Any) -> bool:
    """``0``, ``"0"`` (blanks around allowed) or the integer literal ``0`` as the exact JSON path
    reads it; ``false``, ``0.0`` and ``-0`` are no way to write a code, and are refused as sent."""
    if isinstance(value, str):
        return value.strip() == "0"
    return is_integer_literal(value) and str(value) == "0"
