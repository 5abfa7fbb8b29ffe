"""Build myDATA ``InvoicesDoc`` v2.0.1 XML from seed-002 ERP invoices.

Element order follows the XSD sequences (MYDATA.md §3.1); each section lives in its own module.
The builder does not check business rules: run :func:`mydata.erp.validate_invoice` first and the
XSD (:class:`mydata.xsd.SchemaValidator`) after.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from lxml import etree

from mydata.erp.models import ErpInvoice
from mydata.invoices_doc._xml import ECLS, ICLS, INV, NSMAP, Element, opt, sub
from mydata.invoices_doc.header import add_header, add_payment_methods
from mydata.invoices_doc.parties import add_counterpart, add_issuer, has_counterpart
from mydata.invoices_doc.rows import add_rows
from mydata.invoices_doc.summary import add_summary, add_taxes_totals


class TransmissionFailure(IntEnum):
    """``transmissionFailure`` values (MYDATA.md §5)."""

    ENTITY_TO_PROVIDER = 1  # the ERP could not reach us when issuing (seed: transmission_failure=1)
    PROVIDER_TO_MYDATA = 2  # we could not reach myDATA; a temporary auth string was issued
    UTILITY_LATE = 4


def transmission_failure_for(
    erp: ErpInvoice, *, provider_outage: bool
) -> TransmissionFailure | None:
    """The flag to send. A provider outage (temporary authentication string issued, seed 002:
    ``transmissionFailure`` 2) wins over the ERP's flag: that is the failure whose temporary
    string was printed and that explains why myDATA receives the invoice late."""
    if provider_outage:
        return TransmissionFailure.PROVIDER_TO_MYDATA
    if erp.transmission_failure == 1:
        return TransmissionFailure.ENTITY_TO_PROVIDER
    return None


def build_invoice(
    parent: Element,
    erp: ErpInvoice,
    *,
    transmission_failure: int | None = None,
    downloading_url: str | None = None,
) -> Element:
    """Append one ``invoice`` element for ``erp`` to ``parent`` (an ``InvoicesDoc``)."""
    invoice = sub(parent, "invoice")
    opt(invoice, "transmissionFailure", transmission_failure)
    add_issuer(invoice, erp)
    add_counterpart(invoice, erp)
    add_header(invoice, erp)
    add_payment_methods(invoice, erp)
    found = add_rows(invoice, erp)
    add_taxes_totals(invoice, erp)
    add_summary(invoice, erp, found)
    opt(invoice, "downloadingInvoiceUrl", downloading_url)
    return invoice


def build_invoices_doc(
    invoices: Sequence[ErpInvoice],
    *,
    provider_outage: bool = False,
    downloading_urls: Sequence[str | None] | None = None,
) -> bytes:
    """UTF-8 ``InvoicesDoc`` bytes with one ``invoice`` per ERP invoice (max 5000, error 265)."""
    root = etree.Element(f"{{{INV}}}InvoicesDoc", nsmap=NSMAP)
    urls = list(downloading_urls or [None] * len(invoices))
    for erp, url in zip(invoices, urls, strict=True):
        flag = transmission_failure_for(erp, provider_outage=provider_outage)
        value = int(flag) if flag is not None else None
        build_invoice(root, erp, transmission_failure=value, downloading_url=url)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


__all__ = [
    "ECLS",
    "ICLS",
    "INV",
    "TransmissionFailure",
    "build_invoice",
    "build_invoices_doc",
    "has_counterpart",
    "transmission_failure_for",
]
