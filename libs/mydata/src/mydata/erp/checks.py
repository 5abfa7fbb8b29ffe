"""Arithmetic and business checks myDATA would otherwise reject (MYDATA.md §9, §10).

Amounts are compared with :class:`~decimal.Decimal` and a tolerance of one cent: the ERP sends up
to five decimals, the XML carries two, so honest rounding can move a sum by 0.01. (MYDATA.md does
not state myDATA's own tolerance; one cent is our documented choice.)

The arithmetic is exact for every value the model accepts: an amount has at most 15 digits and
5 decimals, Decimal's default context keeps 28 digits, so sums stay exact up to 10¹⁰ lines.
Two checks keep what the builder writes inside the XSD where the model alone cannot: the summary
classifications add up the rows' rounded net values (each AmountType-sized, their sum need not
be), and ``exchangeRate`` is ExchangeRateType (at most 50000) although ``exchrate`` keeps the
seed's ``Numeric 13,5``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from mydata.erp.models import ErpInvoice, ErpLine
from mydata.errors import InvoiceValidationError
from mydata.identifiers import CENT

TOLERANCE = Decimal("0.01")
ZERO = Decimal(0)
AMOUNT_MAX = Decimal("9999999999999.99")  # AmountType: 15 digits, 2 of them decimals
EXCHANGE_RATE_MAX = Decimal(50000)  # ExchangeRateType maxInclusive

# (header total, per-line field, taxesTotals taxType) — MYDATA.md §3.1 taxType codes.
TAX_TOTALS: tuple[tuple[str, str, int], ...] = (
    ("twthhld_am", "wthhld_am", 1),
    ("tfees_am", "fees_am", 2),
    ("ttax_am", "otax_am", 3),
    ("tstamp_am", "stampvalue", 4),
    ("tdeduction", "deducvalue", 5),
)
COUNTERPART_REQUIRED = ("1.", "2.", "5.")  # B2B sales, services and credit notes


def validate_invoice(invoice: ErpInvoice) -> None:
    """Raise :class:`InvoiceValidationError` (``mydata_sync_003``) listing every problem."""
    problems = check_invoice(invoice)
    if problems:
        raise InvoiceValidationError(problems)


def check_invoice(invoice: ErpInvoice) -> list[str]:
    return [
        *_check_rows(invoice),
        *_check_header(invoice),
        *_check_gross(invoice),
        *_check_line_sums(invoice),
        *_check_taxes(invoice),
        *_check_classified_total(invoice),
    ]


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOLERANCE


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _check_rows(invoice: ErpInvoice) -> list[str]:
    if not invoice.rows:
        return ["einv02: at least one invoice row (with vatcat) is required"]
    problems: list[str] = []
    for i, line in enumerate(invoice.einv02):
        problems += _check_line(i, line)
    return problems


def _check_line(i: int, line: ErpLine) -> list[str]:
    at = f"einv02[{i}]"
    if line.is_tax_row:
        return [] if line.taxamount is not None else [f"{at}.taxamount: required with taxtype"]
    problems = []
    if line.vatcat is None:
        problems.append(f"{at}.vatcat: required for an invoice row")
    if line.netvalue is None:
        problems.append(f"{at}.netvalue: required for an invoice row")
    if line.mydt61_p00 and not line.mydt57_p00:
        problems.append(f"{at}.mydt57_p00: income category required with mydt61_p00")
    pairs = (
        ("wthhld_am", "wthhldpcat"),
        ("stampvalue", "stamppcat"),
        ("fees_am", "feestype"),
        ("otax_am", "otaxpcat"),
    )
    for amount, category in pairs:
        if getattr(line, amount) and getattr(line, category) is None:
            problems.append(f"{at}.{category}: required when {amount} is given")
    return problems


def _check_header(invoice: ErpInvoice) -> list[str]:
    problems = []
    if invoice.invtype == "5.1" and not invoice.correlated_marks:
        problems.append("correlinv: a 5.1 credit note needs the MARK of the invoice it credits")
    foreign = invoice.currency and invoice.currency.upper() != "EUR"
    if foreign and not invoice.exchrate:
        problems.append("exchrate: required (> 0) when currency is not EUR")
    if foreign and invoice.exchrate and invoice.exchrate > EXCHANGE_RATE_MAX:
        problems.append("exchrate: must be at most 50000 (myDATA ExchangeRateType)")
    if invoice.invtype.startswith(COUNTERPART_REQUIRED) and not invoice.cp_vat:
        problems.append(f"cp_vat: required for invoice type {invoice.invtype}")
    # Issuer = counterpart is left to myDATA on purpose: seed 002 documents it as a
    # mydata_sync_004 answer ("Code: 235 - Issuer must be different from counterpart").
    return problems


def _check_gross(invoice: ErpInvoice) -> list[str]:
    i = invoice
    expected = (
        i.tnetvalue + i.tvat_am - i.twthhld_am - i.tdeduction + i.tfees_am + i.tstamp_am + i.ttax_am
    )
    if _close(i.tgross_val, expected):
        return []
    return [
        f"tgross_val: {i.tgross_val} ≠ tnetvalue + tvat_am − twthhld_am − tdeduction + tfees_am"
        f" + tstamp_am + ttax_am = {expected}"
    ]


def _check_line_sums(invoice: ErpInvoice) -> list[str]:
    problems = []
    for total, field in (("tnetvalue", "netvalue"), ("tvat_am", "fpavalue")):
        lines = _sum(getattr(line, field) for line in invoice.rows)
        if not _close(lines, getattr(invoice, total)):
            problems.append(
                f"{total}: {getattr(invoice, total)} ≠ sum of einv02[].{field} = {lines}"
            )
    return problems


def _check_taxes(invoice: ErpInvoice) -> list[str]:
    per_line = any(getattr(line, field) for line in invoice.rows for _, field, _ in TAX_TOTALS)
    if per_line and invoice.tax_rows:
        return ["einv02: taxes go either on the lines or in tax rows (taxtype), not both"]
    problems = []
    for total, field, tax_type in TAX_TOTALS:
        if invoice.tax_rows:
            found = _sum(r.taxamount for r in invoice.tax_rows if int(r.taxtype or 0) == tax_type)
            source = f"taxamount of the taxtype {tax_type} rows"
        else:
            found = _sum(getattr(line, field) for line in invoice.rows)
            source = f"einv02[].{field}"
        if not _close(found, getattr(invoice, total)):
            problems.append(f"{total}: {getattr(invoice, total)} ≠ sum of {source} = {found}")
    return problems


def _check_classified_total(invoice: ErpInvoice) -> list[str]:
    # Bounds every summary classification amount (a sum of rounded row net values).
    total = _sum(
        (line.netvalue or ZERO).quantize(CENT, rounding=ROUND_HALF_UP) for line in invoice.rows
    )
    if total <= AMOUNT_MAX:
        return []
    return [
        f"einv02: the rows' netvalue add up to {total}, more than myDATA's largest amount"
        f" {AMOUNT_MAX} (AmountType)"
    ]
