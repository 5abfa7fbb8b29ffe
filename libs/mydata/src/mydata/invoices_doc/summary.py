"""``taxesTotals`` (taxes per invoice) and ``invoiceSummary``."""

from __future__ import annotations

from mydata.erp.models import ErpInvoice
from mydata.invoices_doc._xml import Element, amount, opt, sub
from mydata.invoices_doc.classifications import Classification, add_classification, summarise


def add_taxes_totals(invoice: Element, erp: ErpInvoice) -> None:
    rows = erp.tax_rows
    if not rows:
        return
    totals = sub(invoice, "taxesTotals")
    for row in rows:
        taxes = sub(totals, "taxes")
        sub(taxes, "taxType", str(int(row.taxtype or 0)))
        opt(taxes, "taxCategory", int(row.taxcat) if row.taxcat else None)
        if row.taxunder is not None:
            amount(taxes, "underlyingValue", row.taxunder)
        amount(taxes, "taxAmount", row.taxamount)


def add_summary(invoice: Element, erp: ErpInvoice, found: list[Classification]) -> None:
    # The ERP's own totals are sent (rounded), so the printed invoice and myDATA agree.
    summary = sub(invoice, "invoiceSummary")
    amount(summary, "totalNetValue", erp.tnetvalue)
    amount(summary, "totalVatAmount", erp.tvat_am)
    amount(summary, "totalWithheldAmount", erp.twthhld_am)
    amount(summary, "totalFeesAmount", erp.tfees_am)
    amount(summary, "totalStampDutyAmount", erp.tstamp_am)
    amount(summary, "totalOtherTaxesAmount", erp.ttax_am)
    amount(summary, "totalDeductionsAmount", erp.tdeduction)
    amount(summary, "totalGrossValue", erp.tgross_val)
    for item in summarise(found):
        add_classification(summary, item)
