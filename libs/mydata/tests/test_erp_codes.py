"""The code-field table (mydata.erp.codes) agrees with AADE's XSDs, value for value."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from mydata.erp import codes, xsd_enums
from mydata.erp.codes import CODES, ZERO_IS_ABSENT, Numbers
from mydata.settings import schema_dir

XS = "{http://www.w3.org/2001/XMLSchema}"
# Where each code field's values are defined: a named simpleType of SimpleTypes-v2.0.1.xsd, or
# (complexType, element) of InvoicesDoc-v2.0.1.xsd for the inline ones; None = seed-002 only.
SOURCES: dict[str, str | tuple[str, str] | None] = {
    "invtype": "InvoiceType",
    "is_country": "CountryType",
    "cp_country": "CountryType",
    "currency": "CurrencyType",
    "mvpurpose": ("InvoiceHeaderType", "movePurpose"),
    "paytype": ("PaymentMethodDetailType", "type"),
    "rectype": ("InvoiceRowType", "recType"),
    "fuelcode": "FuelCodes",
    "munit": "QuantityType",
    "invdtype": "InvoiceDetailType",
    "vatcat": "VatType",
    "vatexcat": "VatExemptionType",
    "wthhldpcat": "WithheldType",
    "stamppcat": "StampDutyType",
    "feestype": "FeesType",
    "otaxpcat": "OtherTaxesType",
    "mydt57_p00": "IncomeClassificationCategoryType",
    "mydt61_p00": "IncomeClassificationValueType",
    "mydt58_p00": "ExpensesClassificationCategoryType",
    "mydt62_p00": "ExpensesClassificationValueType",
    "mydt62_p01": "ExpensesClassificationValueType",
    "taxtype": ("TaxTotalsType", "taxType"),
    "taxcat": ("TaxTotalsType", "taxCategory"),
    "p00": None,
    "p104": None,
    "p01": None,
    "p02": None,
}
ENUMS = {
    "CountryType": xsd_enums.COUNTRY_TYPE,
    "CurrencyType": xsd_enums.CURRENCY_TYPE,
    "InvoiceType": xsd_enums.INVOICE_TYPE,
    "FuelCodes": xsd_enums.FUEL_CODES,
    "IncomeClassificationCategoryType": xsd_enums.INCOME_CATEGORY_TYPE,
    "IncomeClassificationValueType": xsd_enums.INCOME_VALUE_TYPE,
    "ExpensesClassificationCategoryType": xsd_enums.EXPENSES_CATEGORY_TYPE,
    "ExpensesClassificationValueType": xsd_enums.EXPENSES_VALUE_TYPE,
}


def _schema(name: str) -> etree._Element:
    return etree.parse(str(Path(schema_dir()) / name)).getroot()


def _restriction(source: str | tuple[str, str]) -> etree._Element:
    if isinstance(source, str):
        path = f"{XS}simpleType[@name='{source}']/{XS}restriction"
        found = _schema("SimpleTypes-v2.0.1.xsd").find(path)
    else:
        complex_type, element = source
        path = f".//{XS}complexType[@name='{complex_type}']//{XS}element[@name='{element}']"
        found = _schema("InvoicesDoc-v2.0.1.xsd").find(f"{path}//{XS}restriction")
    assert found is not None, source
    return found


def _facet(restriction: etree._Element, name: str) -> str | None:
    facet = restriction.find(f"{XS}{name}")
    return None if facet is None else str(facet.get("value"))


def test_every_code_field_has_a_source() -> None:
    assert set(CODES) == set(SOURCES)


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_enumerations_are_the_xsd_ones(name: str) -> None:
    restriction = _restriction(name)
    assert ENUMS[name] == {e.get("value") for e in restriction.iter(f"{XS}enumeration")}


@pytest.mark.parametrize("field", sorted(SOURCES))
def test_table_matches_the_xsd(field: str) -> None:
    source, accepted = SOURCES[field], CODES[field].accepted
    if source is None:  # seed-002 codes 1 | 2
        assert accepted == Numbers(1, 2)
        return
    restriction = _restriction(source)
    if isinstance(accepted, Numbers):
        high = _facet(restriction, "maxInclusive") or str(codes.XS_INT_MAX)
        assert (str(accepted.low), str(accepted.high)) == (
            _facet(restriction, "minInclusive"),
            high,
        )
    else:
        assert isinstance(source, str) and accepted is ENUMS[source]


@pytest.mark.parametrize("field", sorted(ZERO_IS_ABSENT))
def test_zero_is_absent_only_where_the_xsd_has_no_zero(field: str) -> None:
    assert not CODES[field].accepts("0") and not CODES[field].accepts(0)


def test_required_invoice_type_keeps_its_zero_as_an_error() -> None:
    assert "invtype" not in ZERO_IS_ABSENT


def test_numbers_are_ascii_digits() -> None:
    assert "7" in Numbers(1, 10) and "07" in Numbers(1, 10)
    assert "١" not in Numbers(1, 10) and "11" not in Numbers(1, 10) and "-1" not in Numbers(1, 10)
