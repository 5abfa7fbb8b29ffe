"""``invoiceDetails`` rows (InvoiceRowType) in XSD sequence order."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from mydata.erp.models import ErpInvoice, ErpLine
from mydata.identifiers import CENT
from mydata.invoices_doc._xml import Element, amount, opt, sub
from mydata.invoices_doc.classifications import (
    Classification,
    add_classification,
    line_classifications,
)

LINE_COMMENTS_MAX = 150  # XSD limit; the seed allows 350 (documented truncation)


def add_rows(invoice: Element, erp: ErpInvoice) -> list[Classification]:
    """Add every row; return their classifications for the summary."""
    found: list[Classification] = []
    for number, line in enumerate(erp.rows, start=1):
        found += _add_row(invoice, erp, line, line.linenumber or number)
    return found


def _add_row(invoice: Element, erp: ErpInvoice, line: ErpLine, number: int) -> list[Classification]:
    row = sub(invoice, "invoiceDetails")
    sub(row, "lineNumber", str(number))
    opt(row, "recType", line.rectype)
    opt(row, "fuelCode", line.fuelcode)
    opt(row, "quantity", line.quantity if line.quantity else None)
    opt(row, "measurementUnit", _int(line.munit))
    opt(row, "invoiceDetailType", _int(line.invdtype))
    net = _cents(line.netvalue)
    amount(row, "netValue", net)
    sub(row, "vatCategory", str(_int(line.vatcat)))
    amount(row, "vatAmount", line.fpavalue)
    opt(row, "vatExemptionCategory", _int(line.vatexcat))
    _add_ship(row, line)
    if line.discoption == 1:
        sub(row, "discountOption", "true")
    _add_line_taxes(row, line)
    opt(row, "lineComments", (line.comments or "")[:LINE_COMMENTS_MAX])
    items = line_classifications(erp, line, net)
    for item in items:
        add_classification(row, item)
    return items


def _add_ship(row: Element, line: ErpLine) -> None:
    # ShipType needs applicationId, applicationDate and shipId together.
    if not (line.appid and line.appdate and line.shipid):
        return
    ship = sub(row, "dienergia")
    sub(ship, "applicationId", line.appid)
    sub(ship, "applicationDate", line.appdate.isoformat())
    opt(ship, "doy", line.doy)
    sub(ship, "shipId", line.shipid)


def _add_line_taxes(row: Element, line: ErpLine) -> None:
    # Order is the XSD's; note other taxes put the category before the amount.
    _pair(row, "withheldAmount", line.wthhld_am, "withheldPercentCategory", line.wthhldpcat)
    _pair(row, "stampDutyAmount", line.stampvalue, "stampDutyPercentCategory", line.stamppcat)
    _pair(row, "feesAmount", line.fees_am, "feesPercentCategory", line.feestype)
    opt(row, "otherTaxesPercentCategory", _int(line.otaxpcat))
    if line.otaxpcat or line.otax_am:
        amount(row, "otherTaxesAmount", line.otax_am)
    if line.deducvalue:
        amount(row, "deductionsAmount", line.deducvalue)


def _pair(row: Element, name: str, value: Decimal | None, cat_name: str, cat: str | None) -> None:
    if cat or value:
        amount(row, name, value)
    opt(row, cat_name, _int(cat))


def _int(code: str | None) -> int | None:
    return int(code) if code else None


def _cents(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
