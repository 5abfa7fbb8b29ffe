"""``invoiceHeader`` and ``paymentMethods`` in XSD sequence order."""

from __future__ import annotations

from decimal import Decimal

from mydata.erp.models import ErpInvoice
from mydata.identifiers import money
from mydata.invoices_doc._xml import Element, flag, opt, sub

EURO = "EUR"
RATE_PLACES = Decimal("0.00001")  # ExchangeRateType: 5 fraction digits


def add_header(invoice: Element, erp: ErpInvoice) -> None:
    header = sub(invoice, "invoiceHeader")
    sub(header, "series", erp.series)
    sub(header, "aa", erp.aa)
    sub(header, "issueDate", erp.issuedate.isoformat())
    sub(header, "invoiceType", erp.invtype)
    flag(header, "vatPaymentSuspension", erp.vatpaysusp)
    opt(header, "currency", erp.currency.upper() if erp.currency else None)
    if erp.exchrate and erp.currency and erp.currency.upper() != EURO:
        sub(header, "exchangeRate", str(erp.exchrate.quantize(RATE_PLACES)))
    for mark in erp.correlated_marks:
        sub(header, "correlatedInvoices", str(mark))
    flag(header, "selfPricing", erp.slfpricing)
    opt(header, "dispatchDate", erp.dispdate.isoformat() if erp.dispdate else None)
    opt(header, "dispatchTime", erp.disptime)
    opt(header, "vehicleNumber", erp.vehiclenum)
    opt(header, "movePurpose", int(erp.mvpurpose) if erp.mvpurpose else None)
    flag(header, "fuelInvoice", erp.fuelinvoice)


def add_payment_methods(invoice: Element, erp: ErpInvoice) -> None:
    # The seed carries one payment method for the whole invoice: it pays the gross total.
    if not erp.paytype:
        return
    details = sub(sub(invoice, "paymentMethods"), "paymentMethodDetails")
    sub(details, "type", str(int(erp.paytype)))
    sub(details, "amount", money(erp.tgross_val))
